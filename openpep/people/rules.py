"""Named rights of a Virtual School admin over people, shared by the views, the services and the
templates, so a button and its view always agree. Each takes a person already fetched through
``queries.staff_for``."""

from .models import LocalAuthority, User
from .queries import other_councils_of, roles_of


def councils_blocking_deactivation(actor: User, person: User) -> list[LocalAuthority]:
    """The other councils ``person`` works for today. Deactivating an account ends every access it
    has, so it is for a council only while that council is responsible for all of it: where several
    councils share a person (a school's staff member who also works for another council), none of
    them deactivates the account alone."""
    return other_councils_of(person, roles_of(actor).admin_authority_ids)


def can_deactivate(actor: User, person: User) -> bool:
    return person.is_active and person.pk != actor.pk and not councils_blocking_deactivation(actor, person)


def can_administer(user: User) -> bool:
    """The Virtual School head's pages (staff, teams, access requests, the calendar, the council's
    settings) are for those who administer a Virtual School; anyone else gets a 404."""
    return roles_of(user).vs_admin
