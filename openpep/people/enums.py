from django.db import models

from openpep.audit.enums import Verb


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    DESIGNATED_TEACHER = "designated_teacher", "Designated Teacher"
    VS_OFFICER = "vs_officer", "Virtual School officer"
    VS_ADMIN = "vs_admin", "Virtual School Head (admin)"
    IRO = "iro", "Independent Reviewing Officer"
    # Other staff of a school (a SENCO, a head of year): they see nothing until the
    # school's Designated Teacher delegates named children and sections to them.
    SCHOOL_STAFF = "school_staff", "Other school staff"


#: Which organisation a role is held in.
TEAM_ROLES = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
SCHOOL_ROLES = {Role.DESIGNATED_TEACHER, Role.SCHOOL_STAFF}
AUTHORITY_ROLES = {Role.VS_OFFICER, Role.VS_ADMIN, Role.IRO}
VIRTUAL_SCHOOL_ROLES = {Role.VS_OFFICER, Role.VS_ADMIN}


class SchoolPhase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    SPECIAL = "special", "Special"
    ALTERNATIVE = "alternative", "Alternative provision"


class AccessRequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Waiting for the email address to be confirmed"
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


#: A request still open: at most one per e-mail address.
OPEN_ACCESS_REQUEST = [AccessRequestStatus.UNVERIFIED, AccessRequestStatus.PENDING]

#: The only moves of an access request (``services.move_access_request``), each with its audit
#: verb: its address is confirmed, then it is decided once.
ACCESS_REQUEST_MOVES = {
    (AccessRequestStatus.UNVERIFIED, AccessRequestStatus.PENDING): Verb.CONFIRMED,
    (AccessRequestStatus.PENDING, AccessRequestStatus.APPROVED): Verb.APPROVED,
    (AccessRequestStatus.PENDING, AccessRequestStatus.REJECTED): Verb.REJECTED,
}

#: The roles a teacher may ask for.
REQUESTABLE_ROLES = [Role.DESIGNATED_TEACHER, Role.SCHOOL_STAFF]
