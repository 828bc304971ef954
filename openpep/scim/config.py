"""Each council's mapping of its directory's groups to roles in OpenPEP, as the deployment configures
it (``settings.SCIM_GROUPS``, from ``OPENPEP_SCIM_GROUPS`` or the file ``OPENPEP_SCIM_GROUPS_FILE``:
docs/deployment.md), keyed by LA code, like the councils' identity providers (``openpep.sso.config``).
A group gives exactly one role: a team role in one of the council's teams (named), or a role in its
Virtual School. The Virtual School head's own role is never given by a directory: it stays a grant
made in OpenPEP."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from openpep.people.enums import TEAM_ROLES, Role

#: The roles a group may give: a team's, and the Virtual School officer's and IRO's.
MAPPABLE_ROLES = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.VS_OFFICER, Role.IRO}


@dataclass(frozen=True)
class GroupRole:
    group: str  # the group's displayName in the directory
    role: Role
    team: str = ""  # the team's name, for a team role

    def describe(self) -> str:
        return f"{self.role.label} in {self.team}" if self.team else f"{self.role.label}"


def _mapping(code, raw) -> dict[str, GroupRole]:
    if not isinstance(raw, dict) or not raw:
        raise ImproperlyConfigured(f"SCIM groups of {code}: expected an object of group names")
    found = {}
    for group, spec in raw.items():
        if not isinstance(spec, dict) or set(spec) - {"role", "team"} or spec.get("role") not in MAPPABLE_ROLES:
            raise ImproperlyConfigured(
                f"SCIM group {group!r} of {code}: give a role, one of {', '.join(sorted(MAPPABLE_ROLES))}"
                ", and a team for a team role"
            )
        role = Role(spec["role"])
        team = spec.get("team", "")
        if (role in TEAM_ROLES) != bool(isinstance(team, str) and team.strip()):
            raise ImproperlyConfigured(
                f"SCIM group {group!r} of {code}: a team role needs a team, no other role has one"
            )
        if not group.strip() or len(group) > 200:
            raise ImproperlyConfigured(f"SCIM groups of {code}: a group name is 1 to 200 characters")
        found[group.strip().casefold()] = GroupRole(group=group.strip(), role=role, team=team.strip())
    return found


def mappings() -> dict[str, dict[str, GroupRole]]:
    """Every council's mapping by LA code, each keyed by the group's name folded to lower case;
    ``ImproperlyConfigured`` on a malformed one."""
    raw = getattr(settings, "SCIM_GROUPS", None) or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("SCIM_GROUPS must map LA codes to groups")
    return {str(code): _mapping(code, value) for code, value in raw.items()}


def mapping_for(code: str) -> dict[str, GroupRole]:
    return mappings().get(code, {})


def group_role(code: str, display_name: str) -> GroupRole | None:
    return mapping_for(code).get(display_name.strip().casefold())
