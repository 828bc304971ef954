"""Signing in ends a child's code in that browser (Have your say and My plan): the staff session never carries it."""

from . import child_session


def drop_child_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        child_session.end_all(request)
