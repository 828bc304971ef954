from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("teams/", views.teams, name="teams"),
    path("staff/<int:user_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:user_id>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("access-requests/", views.access_requests, name="access_requests"),
    path("access-requests/<int:access_request_id>/", views.access_request_decide, name="access_request"),
]
