from django.urls import path

from . import views

app_name = "warnings"
urlpatterns = [
    path("admin/early-warnings/", views.settings_page, name="settings"),
    path("admin/early-warnings/change/", views.settings_edit, name="settings_edit"),
    path("warnings/<int:warning_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("warnings/<int:warning_id>/interim-pep/", views.start_interim, name="interim"),
]
