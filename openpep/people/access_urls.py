"""The public pages of access requests: no sign-in."""

from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.access_request, name="request"),
    path("confirm/<str:token>/", views.access_verify, name="verify"),
]
