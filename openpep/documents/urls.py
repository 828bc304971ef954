from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("peps/<int:pep_id>/pep.pdf", views.pep_pdf, name="pep_pdf"),
    path("peps/<int:pep_id>/school-section.pdf", views.school_pdf, name="school_pdf"),
    path("templates/", views.templates, name="templates"),
    path("templates/<slug:pep_type>.pdf", views.template_pdf, name="template_pdf"),
    path("children/<int:child_id>/exports/", views.exports, name="exports"),
    path("children/<int:child_id>/exports/<int:job_id>/", views.export_status, name="export"),
    path("children/<int:child_id>/exports/<int:job_id>/download/", views.export_download, name="export_download"),
]
