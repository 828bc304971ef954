"""The Virtual School head's pages for connected systems: API tokens, webhooks and the delivery log.
Anyone else gets a 404, like the staff pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpep.views import administered_authority_or_404, form_page

from . import services
from .forms import TokenForm, WebhookForm
from .models import ApiToken, Webhook


def _form_page(request, form, authority, *, title, submit):
    # A token or webhook is the council's, not its Virtual School's: these pages name the authority.
    return form_page(
        request, form, authority, title=title, submit=submit, caption=authority.name, cancel="api_admin:tokens"
    )


@login_required
def tokens(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "api/tokens.html",
        {
            "authority": authority,
            "tokens": ApiToken.objects.filter(local_authority=authority),
            "webhooks": Webhook.objects.filter(local_authority=authority, removed_at__isnull=True),
        },
    )


@login_required
def token_add(request):
    authority = administered_authority_or_404(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(request.user, authority, **form.cleaned_data)
        # Shown once, on this page, never again: only its SHA-256 is kept.
        return render(request, "api/secret.html", {"what": "token", "name": token.name, "secret": secret})
    return _form_page(request, form, authority, title="Make an API token", submit="Make token")


@login_required
@require_POST
def token_revoke(request, token_id):
    authority = administered_authority_or_404(request.user)
    token = get_object_or_404(ApiToken, pk=token_id, local_authority=authority)
    services.revoke_token(request.user, token)
    messages.success(request, f"The token of {token.name} has been revoked")
    return redirect("api_admin:tokens")


@login_required
def webhook_add(request):
    authority = administered_authority_or_404(request.user)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook = services.add_webhook(request.user, authority, **form.cleaned_data)
        return render(request, "api/secret.html", {"what": "webhook", "name": webhook.name, "secret": webhook.secret})
    return _form_page(request, form, authority, title="Add a webhook", submit="Add webhook")


@login_required
@require_POST
def webhook_remove(request, webhook_id):
    authority = administered_authority_or_404(request.user)
    webhook = get_object_or_404(Webhook, pk=webhook_id, local_authority=authority)
    services.remove_webhook(request.user, webhook)
    messages.success(request, f"The webhook of {webhook.name} has been removed")
    return redirect("api_admin:tokens")


@login_required
def webhook_deliveries(request, webhook_id):
    authority = administered_authority_or_404(request.user)
    webhook = get_object_or_404(Webhook, pk=webhook_id, local_authority=authority)
    deliveries = webhook.deliveries.prefetch_related("tries")[:100]
    return render(
        request, "api/deliveries.html", {"authority": authority, "webhook": webhook, "deliveries": deliveries}
    )
