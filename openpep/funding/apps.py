from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "openpep.funding"
    label = "funding"
    verbose_name = "Pupil Premium Plus"

    def ready(self):
        from openpep.plans.tasklist import add_part

        from .tasklist import PART

        # PP+ requests are a row of the PEP's task list; plans does not import this app.
        add_part(PART)
