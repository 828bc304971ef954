from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.urls import include, path

from . import keys


def other_jwks(request):
    """Not the provider's keys: another RSA key published under the provider's key id, as an attacker's
    token would be signed. A client pointed here must refuse every ID token the provider signs."""
    return JsonResponse({"keys": [keys.impostor_jwk()]})


urlpatterns = [
    path("login/", LoginView.as_view(template_name="login.html")),
    path("test/other-jwks/", other_jwks),
    path("", include("oidc_provider.urls", namespace="oidc_provider")),
]
