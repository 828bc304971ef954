"""``/healthz/``: for a proxy's or orchestrator's health check, and the benchmark's trivial view.

Public and tiny: a 200 with ``ok`` when the database answers, a 503 when it does not. It reads
no session and renders no template, so its cost is the framework's and one round trip."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
