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


class VenueKind(models.TextChoices):
    SCHOOL = "school", "A room at school"
    ONLINE = "online", "Online"
    ELSEWHERE = "elsewhere", "Somewhere else"


class ChildAttending(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNDECIDED = "undecided", "Not decided yet"


class Response(models.TextChoices):
    """An invitee's answer to the invitation."""

    PENDING = "pending", "Not answered yet"
    ATTENDING = "attending", "Attending"
    APOLOGIES = "apologies", "Sent apologies"


#: Who the social worker may invite by hand. The social worker organises the
#: meeting, so is never an invitee.
INVITABLE_ROLES = [role for role in MeetingRole if role != MeetingRole.SOCIAL_WORKER]
