"""How the OpenAPI schema describes what drf-spectacular cannot work out by itself."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """``openpep.api.auth.TokenAuthentication``: a connected system's token, as a bearer token."""

    target_class = "openpep.api.auth.TokenAuthentication"
    name = "connectedSystemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token a Virtual School head made for this system (Connected systems): "
            "`Authorization: Bearer opep_…`.",
        }
