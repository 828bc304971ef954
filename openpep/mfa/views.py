"""The second step of signing in (a code from an authenticator app, or a passkey), setting up a
first factor, and the page where a person manages their own factors."""

from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openpep.redirects import same_site_path

from . import passkeys, services
from .forms import CodeForm, PasskeyNameForm
from .models import Passkey

REPLACE_KEY = "mfa_may_replace_app"  # set once the current app's code is given on the reset page
PENDING_KEY = "mfa_new_app_key"  # the key of the app being set up, until a code confirms it


def _next(request) -> str:
    return same_site_path(request, request.POST.get("next") or request.GET.get("next"), reverse("home"))


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _verified(request, device) -> None:
    """The session is now verified by `device`; a new session key, as at any change of privilege."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _may_add_factor(request) -> bool:
    """A first factor may be added by anyone who has given their password; any further one only
    by a verified session (otherwise a stolen password would be enough to add one)."""
    return request.user.is_verified() or not services.has_any_device(request.user)


@login_required
def verify(request):
    user, target = request.user, _next(request)
    if user.is_verified():
        return redirect(target)
    if not services.has_any_device(user):
        return redirect(_with_next("mfa:setup", target))
    app = services.totp_device(user)
    form = CodeForm(request.POST or None) if app else None
    if request.method == "POST" and form is not None and form.is_valid():
        device = services.check_code(user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            return redirect(target)
        form.wrong()
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "next": target,
            "has_passkeys": Passkey.objects.filter(user=user).exists(),
            "options_url": reverse("mfa:passkey_options"),
            "verify_url": _with_next("mfa:passkey_verify", target),
        },
    )


def _qr_svg(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, title="QR code to scan")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1)


@login_required
def setup(request):
    user, target = request.user, _next(request)
    first = not services.has_any_device(user)
    replacing = user.is_verified() and (services.totp_device(user) is None or request.session.get(REPLACE_KEY))
    if not (first or replacing):
        return redirect("mfa:manage" if user.is_verified() else _with_next("mfa:verify", target))
    if not request.session.get(PENDING_KEY):
        request.session[PENDING_KEY] = services.new_app(user).key
    device = services.new_app(user, request.session[PENDING_KEY])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.confirm_totp(user, device.key, form.cleaned_data["code"])
        if confirmed is not None:
            request.session.pop(REPLACE_KEY, None)
            request.session.pop(PENDING_KEY, None)
            _verified(request, confirmed)
            if first:
                return redirect(target)
            messages.success(request, "Your authenticator app has been set up")
            return redirect("mfa:manage")
        form.wrong("The code is not right. Enter the code the app shows for OpenPEP now")
    return render(
        request,
        "mfa/setup.html",
        {
            "form": form,
            "next": target,
            "first": first,
            "qr": _qr_svg(device),
            "secret": " ".join(services.secret_of(device)[i : i + 4] for i in range(0, 32, 4)),
            "options_url": reverse("mfa:passkey_register_options"),
            "register_url": _with_next("mfa:passkey_register", target),
        },
    )


@login_required
def manage(request):
    user = request.user
    return render(
        request,
        "mfa/manage.html",
        {
            "app": services.totp_device(user),
            "passkeys": Passkey.objects.filter(user=user).order_by("pk"),
            "options_url": reverse("mfa:passkey_register_options"),
            "register_url": reverse("mfa:passkey_register"),
        },
    )


@login_required
def reset_app(request):
    """Setting up a new authenticator app in place of the current one takes a code from the current one."""
    if services.totp_device(request.user) is None:
        return redirect("mfa:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_code(request.user, form.cleaned_data["code"]) is not None:
            request.session[REPLACE_KEY] = True
            return redirect("mfa:setup")
        form.wrong()
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Set up a new authenticator app",
            "lead": "First enter a code from the authenticator app you use now. "
            "If you have lost it, ask your Virtual School administrator.",
            "submit": "Continue",
            "cancel": "mfa:manage",
        },
    )


@login_required
@require_POST
def passkey_remove(request):
    chosen = request.POST.get("passkey", "")
    if not (chosen.isascii() and chosen.isdigit()):  # an id, or nothing of anyone's
        raise Http404
    passkey = get_object_or_404(Passkey, pk=chosen, user=request.user)
    try:
        services.remove_passkey(request.user, passkey)
    except services.LastFactor:
        messages.info(request, "You cannot remove your only way to confirm it is you. Add another one first")
    else:
        messages.success(request, "The passkey has been removed")
    return redirect("mfa:manage")


@login_required
def passkey_rename(request, passkey_id):
    """One's own passkey only: anyone else's id is not found."""
    passkey = get_object_or_404(Passkey, pk=passkey_id, user=request.user)
    form = PasskeyNameForm(request.POST or None, initial={"name": passkey.name})
    if request.method == "POST" and form.is_valid():
        services.rename_passkey(request.user, passkey, form.cleaned_data["name"])
        messages.success(request, "The passkey has been renamed")
        return redirect("mfa:manage")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Rename a passkey",
            "caption": passkey.name,
            "submit": "Save name",
            "cancel": "mfa:manage",
        },
    )


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_required
@require_POST
def passkey_register_options(request):
    if not _may_add_factor(request):
        return _refused("Confirm it is you first", 403)
    return HttpResponse(passkeys.registration_options(request), content_type="application/json")


@login_required
@require_POST
def passkey_register(request):
    if not _may_add_factor(request):
        return _refused("Confirm it is you first", 403)
    first = not services.has_any_device(request.user)
    try:
        fields = passkeys.verify_registration(request, request.body)
    except ValueError:
        return _refused("The passkey could not be added. Try again, or use an authenticator app")
    passkey = services.add_passkey(request.user, **fields)
    if first:
        _verified(request, passkey)
        return JsonResponse({"redirect": _next(request)})
    messages.success(request, "Your passkey has been added")
    return JsonResponse({"redirect": reverse("mfa:manage")})


@login_required
@require_POST
def passkey_options(request):
    if not Passkey.objects.filter(user=request.user).exists():
        return _refused("You have no passkey", 404)
    return HttpResponse(passkeys.authentication_options(request), content_type="application/json")


@login_required
@require_POST
def passkey_verify(request):
    try:
        passkey, sign_count = passkeys.verify_authentication(request, request.body)
    except ValueError:
        return _refused("That passkey was not accepted. Try again, or enter a code")
    services.used_passkey(passkey, sign_count)
    _verified(request, passkey)
    return JsonResponse({"redirect": _next(request)})
