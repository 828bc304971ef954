"""What one council's directory may see: the only way a SCIM request reaches a person or a group."""

from django.db.models import Q

from openpep.people.models import LocalAuthority, Membership, User

from .models import ScimGroup


def _of_council(authority: LocalAuthority) -> Q:
    """Memberships in the council's Virtual School (and its IROs) and its social care teams."""
    return Q(local_authority=authority) | Q(team__local_authority=authority)


def people_for(authority: LocalAuthority):
    """The people the council's directory sees and changes: those who hold or held a role in its
    Virtual School or its teams, and those it made that have no role yet — less anyone who holds or
    held any role elsewhere (a school's staff, another council's) and the accounts of tokens (connected
    systems, directories). A person shared with anyone else is not one council's directory's to change."""
    elsewhere = Membership.objects.exclude(_of_council(authority))
    return (
        User.objects.filter(
            Q(memberships__in=Membership.objects.filter(_of_council(authority)))
            | Q(provisioned_by__local_authority=authority)
        )
        .exclude(memberships__in=elsewhere)
        .exclude(scim_tokens__isnull=False)
        .exclude(email__endswith="@connected-systems.invalid")
        .distinct()
    )


def groups_for(authority: LocalAuthority):
    return ScimGroup.objects.filter(local_authority=authority)
