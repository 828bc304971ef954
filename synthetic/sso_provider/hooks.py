"""What the provider says about its users, as a council's directory would: a user in the group "mfa"
signed in with a second factor (``amr`` has "mfa"), one in "clock-ahead" gets tokens issued a minute
in OpenPEP's future (a provider whose clock runs fast), and one in the group "disabled" is refused by
the provider itself (``access_denied`` sent back to the client, as a council's provider answers for an
account it has disabled)."""

from oidc_provider.lib.endpoints.authorize import AuthorizeEndpoint
from oidc_provider.lib.errors import AuthorizeError


def id_token_claims(id_token, user, **kwargs):
    id_token["email"] = user.email
    id_token["name"] = user.get_full_name() or user.email
    id_token["amr"] = ["pwd", "mfa"] if user.groups.filter(name="mfa").exists() else ["pwd"]
    if user.groups.filter(name="clock-ahead").exists():  # as a provider whose clock runs a minute fast
        id_token["iat"] += 60
    return id_token


def refuse_disabled(request, user, client):
    if not user.groups.filter(name="disabled").exists():
        return None
    authorize = AuthorizeEndpoint(request)
    authorize.validate_params()
    from django.shortcuts import redirect

    error = AuthorizeError(authorize.params["redirect_uri"], "access_denied", authorize.grant_type)
    return redirect(error.create_uri(authorize.params["redirect_uri"], authorize.params["state"]))
