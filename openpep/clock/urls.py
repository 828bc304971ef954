from django.urls import path

from . import views

app_name = "clock"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("terms/add/", views.term_add, name="term_add"),
    path("terms/<int:term_id>/delete/", views.term_delete, name="term_delete"),
    path("holidays/add/", views.holiday_add, name="holiday_add"),
    path("holidays/<int:holiday_id>/delete/", views.holiday_delete, name="holiday_delete"),
    path("import/", views.calendar_import, name="import"),
    path("timescales/", views.timescales, name="timescales"),
]
