from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("peps/<int:pep_id>/review/", views.review, name="review"),
    path("rubric/", views.rubric, name="rubric"),
    path("rubric/settings/", views.settings_edit, name="settings"),
    path("rubric/criteria/add/", views.criterion_add, name="criterion_add"),
    path("rubric/criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
]
