from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("teams/", views.teams, name="teams"),
]
