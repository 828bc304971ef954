from django.db import models


class MeetingRole(models.TextChoices):
    CHILD = "child", "Child or young person"
    CARER = "carer", "Carer"
    PARENT = "parent", "Parent"
    SOCIAL_WORKER = "social_worker", "Social worker"
    DESIGNATED_TEACHER = "designated_teacher", "Designated Teacher"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
    IRO = "iro", "Independent Reviewing Officer"
    OTHER = "other", "Other"


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
