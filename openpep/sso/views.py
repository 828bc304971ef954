"""Signing in with a council's account: mozilla-django-oidc's views, told per sign-in which council's
provider to use (from the e-mail's domain), and the Virtual School head's read-only page of it."""

from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from openpep.redirects import same_site_path
from openpep.views import administered_authority_or_404

from . import services
from .config import Provider, provider_for_email, providers
from .forms import CouncilAwareSetPasswordForm, CouncilAwareSignInForm

PENDING_KEY = "sso_pending"  # state → the council and the e-mail typed, until the provider answers
SIGNED_OUT_KEY = "sso_signed_out"  # after signing out: the council's own sign-out link, shown once
FAILED = "Signing in with your council account did not work. Try again, or ask your Virtual School administrator"


def _safe_next(request, target: str) -> str:
    return same_site_path(request, target, reverse(settings.LOGIN_REDIRECT_URL))


def _origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


class StartView(OIDCAuthenticationRequestView):
    """The library's authorization request (state, nonce, PKCE), for one council's provider."""

    def __init__(self, provider: Provider, email: str):
        View.__init__(self)
        self.provider, self.email = provider, email
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id

    def get_extra_params(self, request):
        return {"scope": self.provider.scopes, "login_hint": self.email}

    def start(self, request, next_url: str):
        response = self.get(request)
        state = parse_qs(urlparse(response.url).query)["state"][0]
        pending = request.session.get(PENDING_KEY) or {}
        pending = dict(list(pending.items())[-4:])  # a few tabs at once, not a growing list
        pending[state] = {"authority": self.provider.authority_code, "email": self.email}
        request.session[PENDING_KEY] = pending
        request.session["oidc_login_next"] = next_url
        return response


class SignInView(auth_views.LoginView):
    """The sign-in page: e-mail first. An address of a council with single sign-on and no password goes
    to that council's provider; everyone else signs in with their password, as before."""

    template_name = "auth/sign_in.html"
    authentication_form = CouncilAwareSignInForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # The form's answer may send the browser to a council's provider: the page's Content-Security-Policy
        # (form-action 'self') must allow those origins, or the browser stops at the redirect.
        origins = sorted({_origin(p.authorization_endpoint) for p in providers().values()})
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")[:254]
        provider = provider_for_email(email)
        if provider is not None and not request.POST.get("password"):
            return StartView(provider, email.strip().lower()).start(
                request, _safe_next(request, self.get_redirect_url())
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if SIGNED_OUT_KEY in self.request.session:
            context["council_sign_out"] = self.request.session.pop(SIGNED_OUT_KEY)
        return context


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the council's provider sends the person back. The library checks the state (once), swaps
    the code for tokens and checks the ID token; a refusal of any kind is audited and the person is
    sent back to the sign-in page with one plain message."""

    def get(self, request):
        if not request.GET:  # no answer from any provider: nothing to do here
            return redirect("home")
        state = request.GET.get("state", "")
        pending = request.session.get(PENDING_KEY) or {}
        started = pending.get(state) if isinstance(pending, dict) else None
        self.provider = providers().get(started["authority"]) if started else None
        self.email = started["email"] if started else ""
        if self.provider is None:
            # Audited as the latest sign-in this browser started, when there is one.
            latest = list(pending.values())[-1] if isinstance(pending, dict) and pending else None
            self.provider = providers().get(latest["authority"]) if latest else None
            self.email = latest["email"] if latest else ""
            return self.refuse("the answer does not match a sign-in started here (state)")
        request.sso_provider = self.provider
        request.openpep_sign_in_email = self.email  # what the sign-in lockout counts a refusal against
        self.failure = "no active account with an active role has that e-mail address"
        if request.GET.get("error"):  # the library forgets the state, signs anyone out, then fails
            self.failure = f"the council's provider refused it ({request.GET.get('error', '')[:60]})"
        try:
            return super().get(request)
        except (
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
            KeyError,
            ValueError,
            TypeError,
        ) as error:
            # Each means "not accepted": a bad token or state, a used code, a provider down or answering
            # nonsense (keys without "keys", a token without "kid"…): never a 500.
            return self.refuse(f"{type(error).__name__}: {error}"[:200])

    def refuse(self, reason: str):
        self.forget_state()
        services.refused(getattr(self, "provider", None), getattr(self, "email", ""), reason)
        messages.error(self.request, FAILED)
        return redirect("login")

    def forget_state(self):
        pending = self.request.session.get(PENDING_KEY)
        if isinstance(pending, dict) and pending.pop(self.request.GET.get("state", ""), None) is not None:
            self.request.session[PENDING_KEY] = pending

    def login_failure(self):
        return self.refuse(self.failure)

    def login_success(self):
        response = super().login_success()
        self.forget_state()
        services.signed_in(self.request, self.user, self.provider, getattr(self.request, "sso_claims", {}))
        return response


def end_session_url(request) -> tuple[Provider, str] | None:
    """The council's own sign-out link for this session, when its provider has one."""
    provider = providers().get(request.session.get(services.AUTHORITY_KEY) or "")
    if provider is None or not provider.end_session_endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))}
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return provider, f"{provider.end_session_endpoint}?{urlencode(query)}"


class SignOutView(auth_views.LogoutView):
    """Signing out ends every OpenPEP session of the person (``mfa.apps``), then offers the council's
    sign-out on the sign-in page."""

    def post(self, request, *args, **kwargs):
        council = end_session_url(request) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if council is not None:
            provider, url = council
            request.session[SIGNED_OUT_KEY] = {"name": provider.name, "url": url}
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "auth/set_password.html"
    success_url = "/sign-in/"
    form_class = CouncilAwareSetPasswordForm


@login_required
def council_settings(request):
    """The Virtual School head's read-only view of their council's single sign-on (never the secret)."""
    authority = administered_authority_or_404(request.user)
    return render(request, "sso/settings.html", {"authority": authority, "provider": providers().get(authority.code)})
