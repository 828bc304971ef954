from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<int:pep_id>/meeting/", views.meeting_edit, name="edit"),
    path("<int:pep_id>/meeting/schedule/", views.schedule, name="schedule"),
    path("<int:pep_id>/meeting/cancel/", views.cancel, name="cancel"),
    path("<int:pep_id>/meeting/calendar.ics", views.calendar_file, name="calendar"),
    path("<int:pep_id>/meeting/invitations/resend/", views.resend, name="resend_all"),
    path(
        "<int:pep_id>/meeting/invitations/<int:invitation_id>/resend/",
        views.resend,
        name="resend",
    ),
    path("<int:pep_id>/meeting/invitations/add/", views.invite, name="invite"),
    path(
        "<int:pep_id>/meeting/invitations/<int:invitation_id>/remove/",
        views.uninvite,
        name="uninvite",
    ),
    path(
        "<int:pep_id>/meeting/invitations/<int:invitation_id>/respond/",
        views.respond,
        name="respond",
    ),
    path(
        "<int:pep_id>/meeting/invitations/<int:invitation_id>/answer/",
        views.record_answer,
        name="record_answer",
    ),
    path("<int:pep_id>/meeting/attendees/add/", views.attendee_add, name="attendee_add"),
    path(
        "<int:pep_id>/meeting/attendees/<int:attendee_id>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
]
