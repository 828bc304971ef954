from django.urls import path

from . import views

app_name = "myplan"

urlpatterns = [
    # The child's (or carer's) pages: public, opened by a code.
    path("my-plan/", views.start, name="start"),
    path("my-plan/your-plan/", views.plan, name="plan"),
    path("my-plan/your-plan/my-plan.pdf", views.plan_pdf, name="plan_pdf"),
    # The social worker's, about one signed-off PEP.
    path("peps/<int:pep_id>/my-plan/", views.share, name="share"),
    path("peps/<int:pep_id>/my-plan.pdf", views.pdf, name="pdf"),
    path("peps/<int:pep_id>/my-plan/<int:share_id>/withdraw/", views.withdraw, name="withdraw"),
]
