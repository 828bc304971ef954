"""A real OpenID Connect provider (django-oidc-provider) for the single sign-on tests, run as a
subprocess on 127.0.0.1: ``start`` it with the users and the client's redirect addresses, and it
answers on ``Provider.url`` until ``stop``."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "openpep-test", "a-test-client-secret"


@dataclass
class Provider:
    url: str
    process: subprocess.Popen
    directory: tempfile.TemporaryDirectory

    def config(self, *, domains, mfa_values=("mfa",), jwks_uri=None, name="your Testshire council account") -> dict:
        """The OpenPEP configuration of this provider (one entry of OIDC_PROVIDERS)."""
        return {
            "name": name,
            "issuer": self.url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": jwks_uri or f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/end-session",
            "domains": list(domains),
            "mfa_claim": "amr",
            "mfa_values": list(mfa_values),
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.directory.cleanup()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*, redirect_uris: list[str], post_logout_redirect_uris: list[str], users: list[dict]) -> Provider:
    directory = tempfile.TemporaryDirectory(prefix="sso-provider-")
    port = _free_port()
    spec = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": post_logout_redirect_uris,
        "users": users,
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY", "OPENPEP_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "synthetic.sso_provider.settings",
        "SSO_PROVIDER_PORT": str(port),
        "SSO_PROVIDER_DB": str(Path(directory.name) / "provider.sqlite3"),
        "SSO_PROVIDER_SPEC": json.dumps(spec),
    }
    log = open(Path(directory.name) / "provider.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "synthetic.sso_provider.serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                "The test OpenID provider did not start: " + (Path(directory.name) / "provider.log").read_text()
            )
        time.sleep(0.1)
    return Provider(url, process, directory)
