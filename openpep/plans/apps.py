from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "openpep.plans"
    label = "plans"
    verbose_name = "Personal Education Plans"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import begin_request_wordings, end_request_wordings

        # A council's wording of PEP types is read once per authority per request.
        request_started.connect(begin_request_wordings, dispatch_uid="plans.begin_request_wordings")
        request_finished.connect(end_request_wordings, dispatch_uid="plans.end_request_wordings")
