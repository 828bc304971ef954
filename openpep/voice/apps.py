from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "openpep.voice"
    label = "voice"
    verbose_name = "The child's own voice"
