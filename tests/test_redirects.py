"""A "next" address is followed only when it is a path of this site (openpep.redirects)."""

import pytest
from django.test import RequestFactory

from openpep.redirects import same_site_path


@pytest.mark.parametrize(
    ("value", "followed"),
    [
        ("/children/3/", True),
        ("/tasks/?page=2#top", True),
        ("", False),
        (None, False),
        ("children/3/", False),  # not a path from the root
        ("//evil.example/", False),  # another host, scheme-relative
        ("/\\evil.example/", False),  # browsers read a backslash as a slash
        ("https://evil.example/", False),
        ("http://testserver/children/", False),  # this host, but not a path
        ("javascript:alert(1)", False),
    ],
)
def test_only_a_path_of_this_site_is_followed(value, followed):
    request = RequestFactory().get("/")

    assert same_site_path(request, value, "/default/") == (value if followed else "/default/")
