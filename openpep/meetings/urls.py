from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<int:pep_id>/meeting/", views.meeting_edit, name="edit"),
    path("<int:pep_id>/meeting/attendees/add/", views.attendee_add, name="attendee_add"),
    path(
        "<int:pep_id>/meeting/attendees/<int:attendee_id>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
]
