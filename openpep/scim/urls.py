from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("Users", views.users, name="users"),
    path("Users/<str:pk>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:pk>", views.group, name="group"),
]
