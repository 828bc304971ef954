"""The axe check every browser test leans on: it fails on a violation, and it skips only a page whose
skeleton it passed before (other words or record numbers), never one with other elements or attributes."""

import pytest

from tests.conftest import AXE_PASSED

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><main>
<h1>{title}</h1><p><a href="/children/{number}/">{link}</a></p>{extra}</main></body></html>"""


@pytest.fixture
def fresh_axe():
    passed = set(AXE_PASSED)
    AXE_PASSED.clear()
    yield
    AXE_PASSED.clear()
    AXE_PASSED.update(passed)


def test_a_violation_fails_the_check(page, axe_check, fresh_axe):
    page.set_content(PAGE.format(title="Amira", number=1, link="Amira's page", extra='<p style="color:#eee">Hard</p>'))
    with pytest.raises(AssertionError, match="color-contrast"):
        axe_check(page)
    page.set_content(PAGE.format(title="Amira", number=1, link="Amira's page", extra='<input type="text">'))
    with pytest.raises(AssertionError, match="label"):
        axe_check(page)


def test_only_a_page_of_the_same_skeleton_is_skipped(page, axe_check, fresh_axe):
    page.set_content(PAGE.format(title="Amira", number=12, link="Amira's page", extra=""))
    assert axe_check(page) is True
    # Other words and another child's number: the same skeleton, not checked again.
    page.set_content(PAGE.format(title="Ben", number=31, link="Ben's plan", extra=""))
    assert axe_check(page) is False
    # A link with no words, an attribute more, another viewport: each checked afresh.
    page.set_content(PAGE.format(title="Ben", number=31, link="", extra=""))
    with pytest.raises(AssertionError, match="link-name"):
        axe_check(page)
    page.set_content(PAGE.format(title="Ben", number=31, link="Ben", extra='<p class="govuk-body">Fine</p>'))
    assert axe_check(page) is True
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(PAGE.format(title="Ben", number=31, link="Ben", extra='<p class="govuk-body">Fine</p>'))
    assert axe_check(page) is True
