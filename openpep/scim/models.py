"""A council's directory provisioning (SCIM 2.0): its bearer token, the people it made, and the
groups it keeps (each one mapped, by the deployment, to a role in the council)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from openpep.people.models import LocalAuthority


class ScimToken(models.Model):
    """The bearer token of one council's directory. Only the SHA-256 of the secret is kept; it is
    shown once, when made. A council has at most one live token: making a new one revokes the old.
    ``principal`` is the account the directory's changes are audited as (it cannot sign in)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="scim_tokens")
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to tell tokens apart; not secret")
    secret_hash = models.CharField(max_length=64, unique=True)
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scim_tokens")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority"], condition=Q(revoked_at__isnull=True), name="one_live_scim_token_per_la"
            )
        ]

    def __str__(self):
        return f"Directory token {self.prefix}… of {self.local_authority}"


class ProvisionedUser(models.Model):
    """An account a council's directory made: it stays that council's to see while it has no role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provisioned_by")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} (from the directory of {self.local_authority})"


class ScimGroup(models.Model):
    """A group of the council's directory, named as the deployment's mapping names it."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="scim_groups")
    display_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="ScimGroupMember", related_name="scim_groups")

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "display_name"], name="scim_group_name_unique_in_la")
        ]

    def __str__(self):
        return self.display_name


class ScimGroupMember(models.Model):
    group = models.ForeignKey(ScimGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="scim_group_member_once")]

    def __str__(self):
        return f"{self.user} in {self.group}"
