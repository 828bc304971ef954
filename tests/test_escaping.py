"""What a person typed is shown as text, never as markup: crispy-forms-gds renders labels and help
text as markup, so the forms that put typed words into them escape them (found by the form fuzzing)."""

from django.urls import reverse

from tests.builders import cast_of, start
from tests.fixtures import sign_in

SCRIPT = "<script>alert('typed')</script>"


def test_a_school_search_is_shown_as_text(client, db):
    page = client.post(reverse("access:request"), {"school_search": SCRIPT, "find_school": "1"}).content.decode()

    assert SCRIPT not in page
    assert "No school matches ‘&lt;script&gt;alert(&#x27;typed&#x27;)&lt;/script&gt;’" in page


def test_a_childs_name_in_the_meeting_form_is_shown_as_text(client, world):
    world.child.first_name = "<b>Amira</b>"
    world.child.save()
    pep = start(cast_of(world))
    sign_in(client, world.sw)

    page = client.get(reverse("meetings:schedule", args=[pep.pk])).content.decode()

    assert "<b>Amira</b>" not in page
    assert "Will &lt;b&gt;Amira&lt;/b&gt; attend?" in page
