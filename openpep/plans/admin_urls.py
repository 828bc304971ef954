from django.urls import path

from . import views

app_name = "pep_types"
urlpatterns = [
    path("", views.pep_types, name="wording"),
]
