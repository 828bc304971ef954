from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class Event(models.TextChoices):
    SUBMITTED = "pep.submitted", "PEP submitted to the Virtual School"
    RETURNED = "pep.returned", "PEP returned for amendment"
    SIGNED_OFF = "pep.signed_off", "PEP signed off"
    OVERDUE = "pep.overdue", "PEP overdue"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Given up"
