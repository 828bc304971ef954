"""Signing in ends a child's Have your say in that browser: the staff session never carries it."""

from .views import CHILD_SESSION_KEY


def drop_child_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(CHILD_SESSION_KEY, None)
