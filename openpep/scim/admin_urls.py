from django.urls import path

from . import admin_views

app_name = "scim_admin"
urlpatterns = [
    path("", admin_views.council_settings, name="settings"),
    path("token/", admin_views.token_make, name="token_make"),
    path("token/revoke/", admin_views.token_revoke, name="token_revoke"),
]
