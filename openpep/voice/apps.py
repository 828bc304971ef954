from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "openpep.voice"
    label = "voice"
    verbose_name = "The child's own voice"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from openpep import jobs

        from .receivers import drop_child_session
        from .services import prune_code_attempts

        user_logged_in.connect(drop_child_session, dispatch_uid="voice.drop_child_session")
        jobs.register(
            "wrong codes", jobs.Every.DAY, lambda today: prune_code_attempts(), "Deleted %s wrong codes past their time"
        )
