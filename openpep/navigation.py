"""The service navigation: one list of the pages it links to, each with the named rule its view
asks, so the menu offers a person exactly the pages they may open (``tests/test_navigation.py``
opens every item shown and every item hidden, for every role)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from openpep.children.rules import can_delegate
from openpep.cohorts.rules import can_see_register, can_see_school_cohorts
from openpep.dashboards.rules import can_see_dashboard
from openpep.people.models import User
from openpep.people.rules import can_administer


def anyone_signed_in(user: User) -> bool:
    """Pages every signed-in person opens: each shows only what their own scope holds."""
    return True


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    may_open: Callable[[User], bool]  # the rule the view asks before answering
    # The item is the current one on pages whose view name starts with one of these; the longest
    # match wins, so "Delegations" rather than "Children" on the delegation pages.
    sections: tuple[str, ...]
    shows_task_count: bool = False


ITEMS = (
    Item("My tasks", "reminders:tasks", anyone_signed_in, ("reminders:",), shows_task_count=True),
    Item("Children", "children:list", anyone_signed_in, ("children:",)),
    Item("Dashboard", "dashboards:dashboard", can_see_dashboard, ("dashboards:",)),
    Item("Register", "cohorts:register", can_see_register, ("cohorts:register",)),
    Item("Wider cohort", "cohorts:school_list", can_see_school_cohorts, ("cohorts:school_list",)),
    Item("Delegations", "children:delegations", can_delegate, ("children:delegation",)),
    Item("Staff", "people:staff", can_administer, ("people:staff",)),
    Item("Teams", "people:teams", can_administer, ("people:teams",)),
    Item("Access requests", "people:access_requests", can_administer, ("people:access_request",)),
    Item("School calendar", "clock:calendar", can_administer, ("clock:",)),
    Item("Attendance", "attendance:import", can_administer, ("attendance:",)),
    Item("PEP types", "pep_types:wording", can_administer, ("pep_types:",)),
    Item("Funding", "funding:settings", can_administer, ("funding:settings", "funding:rate")),
    Item("Early warnings", "warnings:settings", can_administer, ("warnings:settings",)),
    Item("Wider cohort and advice", "cohorts:settings", can_administer, ("cohorts:settings", "cohorts:topic")),
    Item(
        "Quality rubric", "quality:rubric", can_administer, ("quality:rubric", "quality:settings", "quality:criterion")
    ),
    Item("Connected systems", "api_admin:tokens", can_administer, ("api_admin:",)),
    Item("Single sign-on", "sso_admin:settings", can_administer, ("sso_admin:",)),
    Item("Directory provisioning", "scim_admin:settings", can_administer, ("scim_admin:",)),
    Item("Sign-in methods", "mfa:manage", anyone_signed_in, ("mfa:",)),
)


@dataclass(frozen=True)
class Link:
    item: Item
    url: str
    current: bool


def items_for(user: User) -> list[Item]:
    """The items ``user`` may open, in the menu's order."""
    return [item for item in ITEMS if item.may_open(user)]


def _current(items: list[Item], view_name: str) -> Item | None:
    matches = [(len(s), item) for item in items for s in item.sections if view_name.startswith(s)]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def menu(request):
    """Context processor: ``navigation``, the links of the menu for the person signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = items_for(user)
    match = getattr(request, "resolver_match", None)
    current = _current(items, match.view_name if match else "")
    return {"navigation": [Link(item, reverse(item.url_name), item is current) for item in items]}
