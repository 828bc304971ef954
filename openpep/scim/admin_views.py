"""The Virtual School head's page for their council's directory provisioning (SCIM 2.0): the address
and token to give the directory, and the group mapping the deployment set (read only, like single
sign-on's). Anyone else gets a 404, like the staff pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openpep.views import administered_authority_or_404

from . import services
from .config import mapping_for
from .models import ScimToken


@login_required
def council_settings(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "scim/settings.html",
        {
            "authority": authority,
            "base_url": request.build_absolute_uri(reverse("scim:users")).removesuffix("/Users"),
            "token": ScimToken.objects.filter(local_authority=authority, revoked_at__isnull=True)
            .select_related("created_by")
            .first(),
            "groups": sorted(mapping_for(authority.code).values(), key=lambda mapped: mapped.group.casefold()),
        },
    )


@login_required
@require_POST
def token_make(request):
    authority = administered_authority_or_404(request.user)
    token, secret = services.make_token(request.user, authority)
    # Shown once, on this page, never again: only its SHA-256 is kept.
    return render(request, "scim/secret.html", {"authority": authority, "token": token, "secret": secret})


@login_required
@require_POST
def token_revoke(request):
    authority = administered_authority_or_404(request.user)
    for token in ScimToken.objects.filter(local_authority=authority, revoked_at__isnull=True):
        services.revoke_token(request.user, token)
    messages.success(request, "Directory provisioning is off: the token has been revoked")
    return redirect("scim_admin:settings")
