"""Screenshots of each role's key pages on the demo data, for the README (`make screenshots`).

Builds the demo into a throwaway SQLite database, serves it, and drives Debian's Chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "true", "OPENPEP_INSECURE_HTTP": "true", "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
               "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
                for name, account, target in SHOTS:
                    page = browser.new_page(viewport={"width": 1200, "height": 900})
                    page.goto(base + "/sign-in/")
                    page.get_by_label("Work email address").fill(f"{account}@demo.openpep.test")
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_load_state()
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
