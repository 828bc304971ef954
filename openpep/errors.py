"""Error pages that need more than Django's defaults."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from openpep.api.parsing import too_large_message


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (or with a stale one, after signing in elsewhere): a GOV.UK
    page that says what to do, rendered with the request so it has the page's CSP nonce."""
    return render(request, "403_csrf.html", status=403)


# The API answers every error in its one JSON shape ({"detail": …}), even those Django answers
# before or after the API's views (a body too large, an address the API does not have, a crash);
# the pages keep Django's GOV.UK templates.
API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def bad_request(request, exception):
    if _api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse({"detail": too_large_message()}, status=413)
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": "Something went wrong on our side. Try again later."}, status=500)
    return defaults.server_error(request)
