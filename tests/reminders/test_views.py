from django.urls import reverse

from tests.builders import cast_of, start
from tests.fixtures import sign_in
from tests.reminders.helpers import days, set_due


def test_my_tasks_lists_the_teachers_tasks_with_overdue_marked(client, world):
    set_due(start(cast_of(world)), views_due=days(-2), school_section_due=days(5))
    sign_in(client, world.dt)

    page = client.get(reverse("reminders:tasks")).content.decode()

    assert "2 tasks, most urgent first" in page
    assert page.index("Record the child&#x27;s views") < page.index("Return the school section")
    assert page.count("Overdue</strong>") == 1
    assert 'openpep-count">2<' in page


def test_my_tasks_of_a_teacher_elsewhere_is_empty(client, world):
    start(cast_of(world))
    sign_in(client, world.dt_other)

    page = client.get(reverse("reminders:tasks")).content.decode()

    assert "Nothing is waiting for you." in page
    assert "Amira" not in page


def test_an_error_page_counts_no_tasks_and_the_next_page_does(client, world):
    """An error page does no more work than saying what went wrong: the menu is there, the count
    (a query a page) is not."""
    set_due(start(cast_of(world)), views_due=days(-2), school_section_due=days(5))
    sign_in(client, world.dt)

    missing = client.get(reverse("children:detail", args=[world.other_child.pk]))
    shown = client.get(reverse("children:list"))

    assert missing.status_code == 404
    assert 'href="/tasks/"' in missing.content.decode()
    assert "openpep-count" not in missing.content.decode()
    assert 'openpep-count">2<' in shown.content.decode()
