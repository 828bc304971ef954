from django.db import models


class TaskKind(models.TextChoices):
    VIEWS = "views", "Record the child's views"
    SCHOOL_SECTION = "school_section", "Return the school section"
    SUBMIT = "submit", "Submit the PEP to the Virtual School"
    QUALITY_ASSURE = "quality_assure", "Quality-assure and sign off the PEP"
    PEP_DUE = "pep_due", "Complete the PEP"
    ANSWER_MEETING = "answer_meeting", "Answer the PEP meeting invitation"


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATED = "escalated", "Overdue: escalated"
