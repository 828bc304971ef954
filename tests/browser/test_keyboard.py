"""The whole PEP cycle (see cycle.py) done once with the keyboard alone, focus always visible.

Every step is taken with Tab, Shift+Tab, Enter, Space, the arrow keys and typing: no click,
no fill. At every stop of the focus the focused thing must show GOV.UK's focus style (the
yellow #ffdd00: a link's or button's yellow background, an input's yellow outline, a radio's or
checkbox's yellow ring drawn on its label) and be on the screen, or the test fails there.
Signing in is the one thing done through `Browse.sign_in` (how signing in works is decided there).
"""

import datetime

import pytest
from playwright.sync_api import Download, Locator, expect

from openpep.plans.enums import Status

from .conftest import Browse
from .cycle import the_whole_cycle

# Every tab stop is checked by this script. GOV.UK Frontend 5 draws focus in #ffdd00:
# links (and link-styled buttons, the details summary) get a yellow background and box-shadow,
# buttons a yellow background or inset box-shadow, inputs, selects and textareas a 3px yellow
# outline, the error summary and notification banner a yellow outline; radios and checkboxes
# hide the native input and draw a yellow box-shadow on their label's ::before.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {ok: false, what: 'nothing'};
  const yellow = 'rgb(255, 221, 0)';
  const shows = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor === yellow)
    || s.backgroundColor === yellow || s.boxShadow.includes(yellow);
  const tick = el.type === 'radio' || el.type === 'checkbox';
  const drawn = tick && el.labels && el.labels.length ? el.labels[0] : el;
  const styled = shows(getComputedStyle(el)) || (tick && drawn !== el && shows(getComputedStyle(drawn, '::before')));
  const box = drawn.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
    && box.right > 0 && box.left < innerWidth;
  const name = (el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].innerText)
    || el.innerText || el.value || el.id || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
  const tag = el.tagName.toLowerCase() + (el.type ? ' type=' + el.type : '') + (el.id ? ' id=' + el.id : '');
  const what = `<${tag}> "${name}"`;
  return {ok: styled && onScreen, styled, onScreen, what};
}"""

IS_FOCUSED = "elements => elements.includes(document.activeElement)"


class Keyboard:
    """The cycle's actions, with the keyboard alone."""

    def __init__(self, browse: Browse, *, limit: int = 150):
        self.browse = browse
        self.page = browse.page
        self.limit = limit
        self.stops = 0  # every focus stop checked, over the whole cycle

    # --- the helper: tab until the target has the focus ----------------------------------------
    def focus_visible(self, *, may_leave: bool = False) -> str:
        """Fails unless the focused element shows GOV.UK's focus style and is on the screen.
        ``may_leave``: Tab past the page's last control leaves the page for the browser's own
        controls, and the next Tab comes back to the top; that stop is not the page's."""
        state = self.page.evaluate(FOCUS)
        if may_leave and state["what"] == "nothing":
            return "(the browser's own controls)"
        self.stops += 1
        assert state["ok"], f"Focus is not visible on {self.page.url}: {state}"
        return state["what"]

    def tab_to(self, target: Locator, *, backwards: bool = False, limit: int | None = None) -> None:
        """Press Tab (Shift+Tab backwards) until ``target`` (a locator by role and accessible
        name, or by label) has the focus; fail after ``limit`` presses, listing where focus went.
        A target that has the focus already (the error summary put it there) takes no press."""
        if self.focused(target):
            return
        key = "Shift+Tab" if backwards else "Tab"
        visited = []
        for _ in range(limit or self.limit):
            self.page.keyboard.press(key)
            visited.append(self.focus_visible(may_leave=True))
            if target.evaluate_all(IS_FOCUSED):
                return
        raise AssertionError(
            f"{target} not reached after {len(visited)} presses of {key} on {self.page.url}; focus went to:\n"
            + "\n".join(visited)
        )

    def focused(self, target: Locator) -> bool:
        return target.evaluate_all(IS_FOCUSED)

    # --- the cycle's actions -----------------------------------------------------------------------
    def follow(self, link: str, *, heading, exact: bool = False) -> None:
        self.tab_to(self.page.get_by_role("link", name=link, exact=exact))
        self.page.keyboard.press("Enter")
        self.browse.arrive(heading)
        self._focus_on_arrival()

    def press(self, button: str, *, heading) -> None:
        self.tab_to(self.page.get_by_role("button", name=button, exact=True))
        self.page.keyboard.press("Enter")
        self.browse.arrive(heading)
        self._focus_on_arrival()

    def _focus_on_arrival(self) -> None:
        """A success banner or error summary takes the focus as the page loads (GOV.UK Frontend
        does that), and must show it; otherwise the page starts unfocused, at its top."""
        if self.page.evaluate("document.activeElement !== document.body"):
            self.focus_visible()

    def fill(self, field: Locator, text: str) -> None:
        self.tab_to(field)
        self.page.keyboard.press("ControlOrMeta+a")  # what was there before is typed over
        self.page.keyboard.type(text)
        expect(field).to_have_value(text)

    def check(self, box: Locator) -> None:
        self.tab_to(box)
        self.page.keyboard.press("Space")
        expect(box).to_be_checked()

    def choose(self, radio: Locator) -> None:
        """Tab into the radios' group (Tab stops once in a group), then the arrow keys to the
        option, which selects it; Space selects the option focus landed on."""
        name = radio.get_attribute("name")
        group = self.page.locator(f'input[type="radio"][name="{name}"]')
        self.tab_to(group)
        for _ in range(group.count()):
            if self.focused(radio):
                break
            self.page.keyboard.press("ArrowDown")
            self.focus_visible()
        assert self.focused(radio), f"{radio} not reached with the arrow keys"
        if not radio.is_checked():
            self.page.keyboard.press("Space")
        expect(radio).to_be_checked()

    def select(self, field: Locator, label: str) -> None:
        """A closed <select>: the arrow keys change its option."""
        self.tab_to(field)
        labels = field.locator("option").all_inner_texts()
        target = [text.strip() for text in labels].index(label)
        now = field.evaluate("select => select.selectedIndex")
        for _ in range(abs(target - now)):
            self.page.keyboard.press("ArrowDown" if target > now else "ArrowUp")
        expect(field.locator("option:checked")).to_have_text(label)
        self.focus_visible()

    def fill_date(self, legend: str, day: datetime.date) -> None:
        group = self.page.get_by_role("group", name=legend)
        for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
            self.fill(group.get_by_role("textbox", name=part, exact=True), str(value))

    def download(self, link: Locator) -> Download:
        self.tab_to(link)
        with self.page.expect_download() as downloading:
            self.page.keyboard.press("Enter")
        return downloading.value

    def expect_errors(self, *messages: str) -> None:
        """The error summary has the focus; Tab reaches each of its links in turn, and Enter on
        one puts the focus in the field to correct, where the next action types."""
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        links = summary.get_by_role("link")
        expect(links).to_have_count(len(messages))
        for message in messages:
            expect(links.filter(has_text=message)).to_have_count(1)
        self.tab_to(links.first, limit=1)
        self.page.keyboard.press("Enter")
        field = self.page.locator(links.first.get_attribute("href"))
        expect(field).to_be_focused()
        self.focus_visible()

    def sign_out(self) -> None:
        self.tab_to(self.page.get_by_role("button", name="Sign out"), backwards=True)  # it is near the top
        self.page.keyboard.press("Enter")
        self.browse.arrive("Sign in to OpenPEP")


@pytest.fixture
def keyboard(browse) -> Keyboard:
    return Keyboard(browse)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(browse, world, keyboard):
    page = browse.page
    browse.sign_in(world.sw)
    page.reload()  # a fresh page: focus starts at its top
    browse.arrive("Children")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused
    keyboard.focus_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the first control of the page's content
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    keyboard.focus_visible()


def test_the_whole_pep_cycle_with_the_keyboard_alone(browse, world, previous_pep, keyboard, measured):
    pep = the_whole_cycle(keyboard, world, previous_pep)
    assert pep.status == Status.SIGNED_OFF
    measured.append(f"keyboard only: the PEP cycle in {keyboard.stops} focus stops on {len(browse.checked)} pages")


def test_the_focus_check_fails_where_focus_is_not_visible(browse, keyboard):
    """The check above can fail: with GOV.UK's focus styles taken away, the first stop fails it."""
    browse.goto("/accessibility/", heading="Accessibility statement for OpenPEP")
    # Through the CSS object model: the page's Content-Security-Policy refuses an inline <style>.
    browse.page.evaluate(
        """rule => document.styleSheets[document.styleSheets.length - 1].insertRule(rule)""",
        "*:focus, *:focus::before, *:focus + label::before "
        "{ outline: none !important; background: none !important; box-shadow: none !important; }",
    )
    with pytest.raises(AssertionError, match="Focus is not visible"):
        keyboard.tab_to(browse.page.get_by_role("link", name="Accessibility statement"))
