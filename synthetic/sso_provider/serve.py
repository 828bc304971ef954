"""Run the test provider: ``python -m synthetic.sso_provider.serve`` with SSO_PROVIDER_PORT, SSO_PROVIDER_DB
and SSO_PROVIDER_SPEC (JSON: the client's redirect URIs, its id and secret, and the users) in the
environment. Makes the database, the provider's own RSA key, the client and the users, then serves on
127.0.0.1 until it is stopped."""

import json
import os

import django
from django.core.management import call_command


def main():
    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import Group, User
    from oidc_provider.models import Client, ResponseType, RSAKey

    spec = json.loads(os.environ["SSO_PROVIDER_SPEC"])
    call_command("migrate", run_syncdb=True, verbosity=0)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    RSAKey.objects.create(key=pem.decode())
    client = Client.objects.create(
        name="OpenPEP",
        client_type="confidential",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
        _redirect_uris="\n".join(spec["redirect_uris"]),
        _post_logout_redirect_uris="\n".join(spec["post_logout_redirect_uris"]),
        _scope="openid email profile",
    )
    client.response_types.add(ResponseType.objects.get_or_create(value="code", defaults={"description": "code"})[0])
    for person in spec["users"]:
        user = User.objects.create_user(person["email"], email=person["email"], password=person["password"])
        for group in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=group)[0])
    print("provider ready", flush=True)
    call_command(
        "runserver", f"127.0.0.1:{os.environ['SSO_PROVIDER_PORT']}", use_reloader=False, skip_checks=True, verbosity=0
    )


if __name__ == "__main__":
    main()
