"""Northmere City Council's own sign-in, for the demo: ``make run`` starts it beside OpenPEP with
``python -m synthetic.sso_provider.demo``. The same django-oidc-provider project as the tests' (this
package), on 127.0.0.1:8001, with a key generated at each start, its client OpenPEP (whose side is
``demo_providers.json``, which ``make run`` gives OpenPEP as ``OPENPEP_OIDC_PROVIDERS_FILE``) and the
council's directory below. Everything is invented; the passwords are in README.md. It runs until it is
stopped (Ctrl-C on ``make run``, or SIGTERM), and forgets everything then.

OpenPEP's side of the demo council (its staff, with the same e-mail addresses, and their roles) is
``openpep.demo.SSO_USERS``; tests/sso/test_demo_council.py checks that the two agree."""

import json
import os
import signal
import sys
import tempfile
from pathlib import Path

PORT = 8001
ISSUER = f"http://127.0.0.1:{PORT}"
CONFIG_FILE = Path(__file__).with_name("demo_providers.json")
PASSWORD = "northmere-council"
DOMAIN = "northmere.example"
# The council's directory: in the group "mfa", the council asked a second factor (the ID token's
# ``amr`` says so, and OpenPEP asks none of its own); "disabled" is an account the council has
# disabled, which its sign-in refuses (a leaver whose OpenPEP account is still there).
USERS = [
    {"email": f"head@{DOMAIN}", "password": PASSWORD, "groups": ["mfa"]},
    {"email": f"officer@{DOMAIN}", "password": PASSWORD},
    {"email": f"social.worker@{DOMAIN}", "password": PASSWORD, "groups": ["mfa"]},
    {"email": f"leaver@{DOMAIN}", "password": PASSWORD, "groups": ["mfa", "disabled"]},
]
# Where the provider may send a browser back: OpenPEP's demo server, by either name.
OPENPEP = ["http://127.0.0.1:8000", "http://localhost:8000"]


def spec() -> dict:
    """What ``serve`` makes: the client OpenPEP, as OpenPEP's side names it, and the users."""
    (council,) = json.loads(CONFIG_FILE.read_text()).values()
    return {
        "client_id": council["client_id"],
        "client_secret": council["client_secret"],
        "redirect_uris": [f"{site}/sign-in/council/callback/" for site in OPENPEP],
        "post_logout_redirect_uris": [f"{site}/sign-in/" for site in OPENPEP],
        "users": USERS,
    }


def main() -> None:
    directory = tempfile.TemporaryDirectory(prefix="openpep-demo-provider-")
    # Stopped with SIGTERM (make run's trap): leave through SystemExit, so the directory goes too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="synthetic.sso_provider.settings",
        SSO_PROVIDER_PORT=str(PORT),
        SSO_PROVIDER_DB=str(Path(directory.name) / "provider.sqlite3"),
        SSO_PROVIDER_SPEC=json.dumps(spec()),
    )
    from synthetic.sso_provider import serve

    print(f"Northmere's council sign-in (the demo's OpenID Connect provider) at {ISSUER}", flush=True)
    try:
        serve.main()
    except KeyboardInterrupt:
        pass
    finally:
        directory.cleanup()


if __name__ == "__main__":
    main()
