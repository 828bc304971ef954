"""How a connected system is let in: its bearer token, the token's scope, and a rate limit per token."""

from django.core.cache import caches
from rest_framework import authentication, exceptions, permissions, throttling

from . import services


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer opep_…``. The request's user is the token's principal, so every
    query the pages use to scope what a person sees scopes what the token sees."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>")
        token = services.authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid, or has been revoked")
        principal = token.principal
        # Read by plans.rules.is_connected_system: set only here, on this request's principal.
        principal.writes_as_connected_system = token.can_write
        return principal, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScope(permissions.BasePermission):
    """Reading needs a token; writing needs a read-write one."""

    message = "This token is read only"

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            self.message = "Authentication credentials were not provided."
            return False
        return request.method in permissions.SAFE_METHODS or token.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token, counted in the database cache so every app process shares the count."""

    scope = "token"
    cache = caches["api"]

    def get_cache_key(self, request, view):
        if request.auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
