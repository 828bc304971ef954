from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

# What a person who has given their password, but not yet their second factor, may reach.
EXEMPT = {
    "login",
    "logout",
    "accessibility",
    "password_reset_confirm",
    "sso:callback",
    "mfa:verify",
    "mfa:setup",
    "mfa:passkey_options",
    "mfa:passkey_verify",
    "mfa:passkey_register_options",
    "mfa:passkey_register",
}


class SecondFactorRequiredMiddleware:
    """Every signed-in page needs a session verified by a second factor (django-otp's
    ``request.user.is_verified()``, set by its OTPMiddleware, which must come first): anyone
    signed in with only their password is sent to the second step, which returns them here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in EXEMPT or request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        return redirect_to_login(request.get_full_path(), reverse("mfa:verify"))
