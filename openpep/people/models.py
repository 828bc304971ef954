import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from openpep import text_limits
from openpep.text_limits import BoundedTextField

from .enums import (
    AUTHORITY_ROLES,
    OPEN_ACCESS_REQUEST,
    REQUESTABLE_ROLES,
    SCHOOL_ROLES,
    TEAM_ROLES,
    AccessRequestStatus,
    Role,
    SchoolPhase,
)


class LocalAuthority(models.Model):
    """A local authority of England. Every school names one; those running
    OpenPEP also have a Virtual School, whose staff hold memberships here."""

    code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter a 3-digit LA code")],
    )
    name = models.CharField(max_length=120)
    virtual_school_name = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class School(models.Model):
    urn = models.CharField(
        "URN", max_length=6, unique=True, validators=[RegexValidator(r"^\d{6}$", "Enter a 6-digit URN")]
    )
    laestab = models.CharField(
        "LAESTAB",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "Enter a 7-digit LAESTAB")],
    )
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=SchoolPhase.choices)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    # Lesson time, so that a PEP meeting that would take the child out of lessons is flagged.
    day_starts = models.TimeField("The school day starts at", default=datetime.time(8, 45))
    day_ends = models.TimeField("The school day ends at", default=datetime.time(15, 15))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(day_ends__gt=F("day_starts")), name="school_day_ends_after_it_starts")
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"


class Team(models.Model):
    """A children's social care team of a local authority."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "name"], name="team_name_unique_in_la")]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may see comes from their memberships."""

    email = models.EmailField("Work email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised to end every session of the person at once (signing out, deactivation): it is part of
    # the hash each session keeps, so it works whatever the session backend.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret=None):
        key_salt = "openpep.people.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on, user__is_active=True)


class Membership(models.Model):
    """A person holding a role in one organisation, for a period. One person
    may hold several (a team manager who also carries a caseload)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_organisation_fits_role",
                condition=(
                    Q(
                        role__in=sorted(TEAM_ROLES),
                        team__isnull=False,
                        school__isnull=True,
                        local_authority__isnull=True,
                    )
                    | Q(
                        role__in=sorted(SCHOOL_ROLES),
                        school__isnull=False,
                        team__isnull=True,
                        local_authority__isnull=True,
                    )
                    | Q(
                        role__in=sorted(AUTHORITY_ROLES),
                        local_authority__isnull=False,
                        team__isnull=True,
                        school__isnull=True,
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    @property
    def organisation(self):
        return self.team or self.school or self.local_authority

    @property
    def authority(self) -> LocalAuthority | None:
        """The local authority this membership belongs to (a school's own LA for a DT)."""
        if self.team_id:
            return self.team.local_authority
        if self.school_id:
            return self.school.local_authority
        return self.local_authority


class AccessRequest(models.Model):
    """A teacher asking for an account at their school (``services.request_access``).

    The e-mail address is confirmed by a signed, expiring link before any
    Virtual School admin sees the request; an admin of the school's own local
    authority (``queries.access_requests_for``) approves it, which makes the account
    and the membership, or rejects it with a reason. At most one request per
    e-mail address is open at a time."""

    full_name = models.CharField("Full name", max_length=150)
    email = models.EmailField("Work email address")
    job_title = models.CharField("Job title", max_length=150, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="access_requests")
    role = models.CharField(max_length=30, choices=[(r.value, r.label) for r in REQUESTABLE_ROLES])
    status = models.CharField(
        max_length=20, choices=AccessRequestStatus.choices, default=AccessRequestStatus.UNVERIFIED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    link_sent_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = BoundedTextField("Reason", blank=True, max_length=text_limits.SHORT)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_requests",
        help_text="The account the approval made",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(status__in=[s.value for s in OPEN_ACCESS_REQUEST]),
                name="one_open_access_request_per_email",
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.email}) for {self.school.name}"
