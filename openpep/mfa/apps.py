from django.apps import AppConfig


def end_every_session(sender, request, user, **kwargs):
    """Signing out anywhere signs the person out everywhere (a shared school laptop left signed in)."""
    from openpep.people.services import end_sessions

    if user is not None:
        end_sessions(user)


class MfaConfig(AppConfig):
    name = "openpep.mfa"
    label = "mfa"
    verbose_name = "Second factor"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(end_every_session, dispatch_uid="openpep.mfa.end_every_session")
        # Signing in starts the session limits' clock (its receiver): connected here, at start-up,
        # not when the middleware is first loaded by a first request.
        from openpep import session_limits  # noqa: F401
