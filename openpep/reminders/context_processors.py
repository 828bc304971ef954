from . import queries


def task_count(request):
    """The number beside "My tasks" in the header, on every signed-in page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: True)():
        return {}  # nothing about anyone's work before the second factor
    return {"task_count": lambda: queries.task_count(user)}
