"""The GOV.UK components (openpep/templatetags/govuk.py drawing templates/components/): what each
renders, and that no other template hand-writes their markup."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(__file__).resolve().parent.parent / "openpep" / "templates"

HAND_WRITTEN = re.compile(
    r"\bgovuk-(button(?!-group)|table|tag|summary-list|warning-text|notification-banner|inset-text|task-list)\b"
)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_button_as_a_link_to_a_named_url():
    html = render('{% button to="children:add" variant="secondary" %}Add a child{% endbutton %}')
    assert html == (
        '<a href="/children/add/" class="govuk-button govuk-button--secondary"'
        ' data-module="govuk-button">Add a child</a>'
    )


def test_button_takes_the_arguments_of_its_url():
    html = render('{% button to="children:detail" child_id %}Open{% endbutton %}', child_id=7)
    assert html.startswith('<a href="/children/7/" ')


def test_button_as_a_submit_button():
    html = render(
        '{% button variant="warning" name="response" value="apologies" prevent_double_click=True'
        ' classes="govuk-!-margin-bottom-0" %}Send <span class="govuk-visually-hidden">apologies</span>{% endbutton %}'
    )
    assert html == (
        '<button type="submit" name="response" value="apologies" class="govuk-button govuk-button--warning'
        ' govuk-!-margin-bottom-0" data-module="govuk-button" data-prevent-double-click="true">'
        'Send <span class="govuk-visually-hidden">apologies</span></button>'
    )


def test_button_of_type_button_with_a_hook_for_scripts():
    html = render('{% button type="button" hook="timeout-continue" %}Stay signed in{% endbutton %}')
    assert html == (
        '<button type="button" class="govuk-button" data-module="govuk-button" data-timeout-continue>'
        "Stay signed in</button>"
    )


def test_component_escapes_what_it_is_given():
    html = render("{% tag colour=colour %}{{ name }}{% endtag %}", colour='red"><script>', name="<b>Jo</b>")
    assert html == '<strong class="govuk-tag govuk-tag--red&quot;&gt;&lt;script&gt;">&lt;b&gt;Jo&lt;/b&gt;</strong>'


def test_tag_with_colour_and_classes():
    assert render('{% tag colour="grey" classes="openpep-count" %}3{% endtag %}') == (
        '<strong class="govuk-tag govuk-tag--grey openpep-count">3</strong>'
    )


def test_warning_text():
    html = render("{% warning %}The export failed{% endwarning %}")
    assert html == (
        '<div class="govuk-warning-text">\n  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>\n'
        '  <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>'
        " The export failed</strong>\n</div>"
    )


def test_inset_text():
    assert render('{% inset id="advice" %}Hold it in term time.{% endinset %}') == (
        '<div class="govuk-inset-text" id="advice">Hold it in term time.</div>'
    )


def test_notification_banner_success_is_an_alert_labelled_by_its_title():
    html = render('{% banner id="msg-1" success=True %}Saved{% endbanner %}')
    assert html == (
        '<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"'
        ' aria-labelledby="msg-1" data-module="govuk-notification-banner">\n'
        '  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title"'
        ' id="msg-1">Success</h2></div>\n'
        '  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">'
        "Saved</p></div>\n</div>"
    )


def test_notification_banner_important_is_a_region():
    html = render('{% banner id="t" %}{% more %}<p class="govuk-body">Read this</p>{% endbanner %}')
    assert 'role="region"' in html
    assert '<h2 class="govuk-notification-banner__title" id="t">Important</h2>' in html
    assert '<div class="govuk-notification-banner__content"><p class="govuk-body">Read this</p></div>' in html


def test_notification_banner_with_a_title_heading_and_more():
    html = render(
        '{% banner id="t" %}{{ n }} read{% title %}File {{ done }}{% more %}<p class="govuk-body">No problems</p>'
        "{% endbanner %}",
        n=3,
        done="checked",
    )
    assert '<h2 class="govuk-notification-banner__title" id="t">File checked</h2>' in html
    assert (
        '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">3 read</p>'
        '<p class="govuk-body">No problems</p></div>'
    ) in html


def test_summary_row_with_a_key_made_of_values():
    html = render("{% summary_row %}£1{% key %}Allocated for {{ year }}{% endsummary_row %}", year="2026-27")
    assert html.startswith(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Allocated for 2026-27</dt>'
    )


def test_a_part_given_twice_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% summary_row key='A' %}1{% actions %}x{% actions %}y{% endsummary_row %}")


def test_summary_list_with_and_without_actions():
    html = render(
        '{% summary_list id="details" %}{% summary_row key="Name" %}Jo{% endsummary_row %}'
        '{% summary_row key="Social worker" value_id="sw" %}Sam{% actions %}<a href="/x/">Change</a>'
        "{% endsummary_row %}{% endsummary_list %}"
    )
    assert html == (
        '<dl class="govuk-summary-list" id="details">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt>'
        '<dd class="govuk-summary-list__value">Jo</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Social worker</dt>'
        '<dd class="govuk-summary-list__value" id="sw">Sam</dd>'
        '<dd class="govuk-summary-list__actions"><a href="/x/">Change</a></dd></div></dl>'
    )


def test_summary_list_without_borders():
    html = render(
        '{% summary_list no_border=True %}{% summary_row key="School" %}Ash{% endsummary_row %}{% endsummary_list %}'
    )
    assert html.startswith('<dl class="govuk-summary-list govuk-summary-list--no-border">')


def test_table_of_head_body_rows_and_cells():
    html = render(
        '{% table id="peps" %}{% caption size="m" hidden=True %}PEPs{% endcaption %}'
        "{% thead %}{% tr %}{% th %}PEP{% endth %}{% th numeric=True %}Targets{% endth %}{% endtr %}{% endthead %}"
        '{% tbody %}{% tr %}{% th scope="row" %}Spring{% endth %}{% td numeric=True %}3{% endtd %}{% endtr %}'
        '{% tr %}{% td colspan="2" classes="openpep-pre" %}None{% endtd %}{% endtr %}{% endtbody %}{% endtable %}'
    )
    assert html == (
        '<table class="govuk-table" id="peps">'
        '<caption class="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">PEPs</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">PEP</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Targets</th></tr></thead>'
        '<tbody class="govuk-table__body"><tr class="govuk-table__row">'
        '<th scope="row" class="govuk-table__header">Spring</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td></tr>'
        '<tr class="govuk-table__row"><td class="govuk-table__cell openpep-pre" colspan="2">None</td></tr>'
        "</tbody></table>"
    )


def test_task_list_with_a_link_a_hint_and_a_status():
    html = render(
        '{% task_list %}{% task href="/b/" id="section-b" hint="The child" %}Child\'s views'
        '{% status %}{% tag colour="blue" %}In progress{% endtag %}{% endtask %}'
        '{% task id="section-e" %}Decisions{% status %}Cannot start yet{% endtask %}{% endtask_list %}'
    )
    assert html == (
        '<ul class="govuk-task-list">'
        '<li class="govuk-task-list__item govuk-task-list__item--with-link" id="section-b">'
        '<div class="govuk-task-list__name-and-hint">'
        '<a class="govuk-link govuk-task-list__link" href="/b/" aria-describedby="section-b-hint section-b-status">'
        "Child's views</a>"
        '<div id="section-b-hint" class="govuk-task-list__hint">The child</div></div>'
        '<div class="govuk-task-list__status" id="section-b-status">'
        '<strong class="govuk-tag govuk-tag--blue">In progress</strong></div></li>'
        '<li class="govuk-task-list__item" id="section-e">'
        '<div class="govuk-task-list__name-and-hint"><div>Decisions</div></div>'
        '<div class="govuk-task-list__status govuk-task-list__status--cannot-start-yet" id="section-e-status">'
        "Cannot start yet</div></li></ul>"
    )


def test_positional_arguments_need_a_url_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% button child_id %}Open{% endbutton %}")


def hand_written() -> dict[str, list[str]]:
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("components/"):
            continue
        classes = sorted({match.group(0) for match in HAND_WRITTEN.finditer(path.read_text())})
        if classes:
            found[name] = classes
    return found


def test_no_template_hand_writes_a_component():
    assert hand_written() == {}


def test_the_check_finds_a_hand_written_component(tmp_path):
    assert HAND_WRITTEN.search('<div class="govuk-inset-text">')
    assert HAND_WRITTEN.search('<strong class="govuk-tag govuk-tag--red">')
    assert not HAND_WRITTEN.search('<div class="govuk-button-group">')
    assert not HAND_WRITTEN.search('<p class="govuk-body">')
