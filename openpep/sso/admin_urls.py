from django.urls import path

from . import views

app_name = "sso_admin"
urlpatterns = [
    path("", views.council_settings, name="settings"),
]
