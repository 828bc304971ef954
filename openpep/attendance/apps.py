from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "openpep.attendance"
    label = "attendance"
    verbose_name = "Attendance"
