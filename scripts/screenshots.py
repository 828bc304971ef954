"""Screenshots of each role's key pages on the demo data, for the README (`make screenshots`).

Builds the demo into a throwaway SQLite database, serves it, and drives Debian's Chromium."""

import ast
import base64
import hashlib
import hmac
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DEMO = ROOT / "openpep" / "demo.py"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "openpep-demo"

# (file, account, a path; or a child's name, to open their newest PEP from the children list)
SHOTS = [
    ("social-worker-tasks", "sw", "/tasks/"),
    ("social-worker-children", "sw", "/children/"),
    ("social-worker-pep", "sw", "Reece Hartley"),
    ("teacher-children", "dt", "/children/"),
    ("teacher-pep", "dt", "Jayden Moss"),
    ("virtual-school-tasks", "vs", "/tasks/"),
    ("virtual-school-head-calendar", "vsadmin", "/admin/calendar/"),
]


def demo_code(account: str) -> str:
    """The current code of a demo account's authenticator app, from its published key (README)."""
    secrets = ast.literal_eval(re.search(r"TOTP_SECRETS = (\{.*?\})", DEMO.read_text(), re.S).group(1))
    key = base64.b32decode(secrets[account])
    counter = int(time.time()) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "true",
            "OPENPEP_INSECURE_HTTP": "true",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                contexts = {}  # one signed-in browser per account: each code of an app works once
                for name, account, target in SHOTS:
                    if account not in contexts:
                        contexts[account] = browser.new_context(viewport={"width": 1200, "height": 900})
                        page = contexts[account].new_page()
                        page.goto(base + "/sign-in/")
                        page.get_by_label("Work email address").fill(f"{account}@demo.openpep.test")
                        page.get_by_label("Password").fill(PASSWORD)
                        page.get_by_role("button", name="Sign in").click()
                        # The second step: the code the demo account's authenticator app shows now.
                        page.get_by_label("Code from your authenticator app").fill(demo_code(account))
                        page.get_by_role("button", name="Continue").click()
                        page.wait_for_load_state()
                        page.close()
                    page = contexts[account].new_page()
                    if target.startswith("/"):
                        page.goto(base + target)
                    else:
                        page.goto(base + "/children/")
                        page.get_by_role("link", name=target).click()
                        page.locator("main table a").first.click()  # the newest PEP
                    page.wait_for_load_state()
                    page.screenshot(path=OUT / f"{name}.png")
                    print(f"docs/screenshots/{name}.png")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
