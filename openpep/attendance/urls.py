from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("import/", views.attendance_import, name="import"),
]
