"""Refused requests: a 404 for a child, a PEP or a meeting that exists but is out of the
requester's scope is recorded (``services.record_refusal``), so that someone asking for many other
children's records raises an unusual-access alert as reading many does.

It looks at the answer, not at each view: pages and the API resolve their ids in many places
(``get_object_or_404`` over ``children_for`` / ``peps_for``), and all of them answer an id out of
scope with a 404. Only a 404 whose URL names such an id costs anything (two small queries, and the
entry if it is a refusal); the answer itself is left exactly as it was, so the requester learns
nothing from it."""

from django.urls import ResolverMatch

from .services import record_refusal

# The pages name their ids by kind.
PAGE_KWARGS = {"pep_id": "pep", "child_id": "child"}
# The API names each record ``pk``; what it is depends on the route.
API_ROUTES = {
    "child": "child",
    "pep_history": "child",
    "pep": "pep",
    "child_views": "pep",
    "arrangements": "pep",
    "school_section": "pep",
    "target": "pep",
    "meeting": "meeting",
}


def refused_record(match: ResolverMatch | None) -> tuple[str, int] | None:
    """(kind, id) of the record a URL asks for, if it asks for one."""
    if match is None:
        return None
    if match.namespace == "api":
        kind = API_ROUTES.get(match.url_name)
        return (kind, match.kwargs["pk"]) if kind and isinstance(match.kwargs.get("pk"), int) else None
    for name, kind in PAGE_KWARGS.items():  # a PEP's page names its PEP; the child is behind it
        if isinstance(match.kwargs.get(name), int):
            return kind, match.kwargs[name]
    return None


class RefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404:
            # The API's token is the request's user by now: DRF sets it on the request it wraps.
            asked = refused_record(getattr(request, "resolver_match", None))
            user = getattr(request, "user", None)
            if asked is not None and user is not None:
                record_refusal(user, kind=asked[0], object_id=asked[1], path=request.path)
        return response
