from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "openpep.funding"
    label = "funding"
    verbose_name = "Pupil Premium Plus"
