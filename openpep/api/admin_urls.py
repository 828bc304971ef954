from django.urls import path

from . import admin_views

app_name = "api_admin"
urlpatterns = [
    path("", admin_views.tokens, name="tokens"),
    path("tokens/add/", admin_views.token_add, name="token_add"),
    path("tokens/<int:token_id>/revoke/", admin_views.token_revoke, name="token_revoke"),
    path("webhooks/add/", admin_views.webhook_add, name="webhook_add"),
    path("webhooks/<int:webhook_id>/remove/", admin_views.webhook_remove, name="webhook_remove"),
    path("webhooks/<int:webhook_id>/", admin_views.webhook_deliveries, name="webhook_deliveries"),
]
