from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "openpep.plans"
    label = "plans"
    verbose_name = "Personal Education Plans"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from openpep import jobs

        from . import receivers  # noqa: F401  (connects the receivers)
        from .due import refresh_open_pep_clocks
        from .models import begin_request_wordings, end_request_wordings

        # A due date can depend on today itself (a term that has started), so once a day.
        jobs.register(
            "due dates",
            jobs.Every.DAY,
            lambda today: refresh_open_pep_clocks(),
            "Recomputed the due dates of %s PEPs in progress",
        )

        # A council's wording of PEP types is read once per authority per request.
        request_started.connect(begin_request_wordings, dispatch_uid="plans.begin_request_wordings")
        request_finished.connect(end_request_wordings, dispatch_uid="plans.end_request_wordings")
