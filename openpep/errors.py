"""Error pages that need more than Django's defaults."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (or with a stale one, after signing in elsewhere): a GOV.UK
    page that says what to do, rendered with the request so it has the page's CSP nonce."""
    return render(request, "403_csrf.html", status=403)
