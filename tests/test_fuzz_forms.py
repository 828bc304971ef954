"""Every form of the application, posted with data Hypothesis makes up, by someone allowed to use it.

The forms are found, not listed: every URL pattern of the permission matrix that someone may open
(GET 200) and whose page holds a ``<form method="post">`` back to itself, and every POST-only URL
(with the fields of the form that posts to it, found on the page that shows that form). Each
field of the page is kept as the page filled it (or as a person plausibly would), left out, or
replaced by something nasty: unicode, control characters, very long text, empty, numbers far out
of range, malformed dates, HTML and script, wrong lock versions; some unknown fields are added.

Whatever is posted: never a server error and never a stack trace; the answer is a redirect
(saved), the form again with the GOV.UK error summary, or a 404 for an id that is not there; a
refused post changes no row of any table; a script posted is never rendered as markup, on the
answer or on the page a redirect leads to. Each example runs in a savepoint rolled back after
it, so every example starts from the same database.

How many examples: the Hypothesis profile (``tests/conftest.py``; ``HYPOTHESIS_PROFILE=thorough``
for many more than CI runs), from a seed of each engine's own (``engine_seed``): the SQLite and
PostgreSQL runs of `make test` post different examples to each form.
"""

import hashlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.fixtures import engine_seed, sign_in
from tests.test_permission_matrix import ANY, GET, OWN, POST, ROLES, _url, takes_object

# Signing in, out and resetting a password belong to the second-factor work; they are fuzzed there.
NOT_HERE = {"login", "logout", "password_reset_confirm"}
MARKERS = ("<script>alert('fuzz')</script>", "<img src=x onerror=alert('fuzz')>")
PAYLOADS = [
    *MARKERS,
    "\"><script>alert('fuzz')</script>",
    "{{ request }}{% debug %}",
    "'; DROP TABLE plans_pep; --",
    "\x00",
    "nul\x00inside",
    "\u202eright-to-left",
    "\ufeffbom",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 ﷽",
    "",
    " ",
    "\r\n\t",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "99999999999999999999999999",
    "-9223372036854775809",
    "9223372036854775808",
    "2147483648",
    "١٢٣",
    "1.5",
    "2026-02-30",
    "30/02/2026",
    "31",
    "13",
    "0000",
    "9999",
    "10000",
    "25:61",
    "%s%n",
    "../../etc/passwd",
    "True",
    "False",
    "None",
]


class Forms(HTMLParser):
    """The POST forms of a page: their action and fields (name -> what the page filled, options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self.forms.append({"action": attrs.get("action") or "", "fields": {}, "files": set()})
            else:
                self.forms.append(None)
            return
        if tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["value"] = attrs.get("value", "")
            return
        if not self.forms or self.forms[-1] is None or not attrs.get("name"):
            return
        fields = self.forms[-1]["fields"]
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        field = fields.setdefault(name, {"value": "", "options": []})
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self.forms[-1]["files"].add(name)
            elif kind in ("radio", "checkbox"):
                field["options"].append(attrs.get("value") or "on")
                if "checked" in attrs:
                    field["value"] = attrs.get("value") or "on"
            elif kind not in ("submit", "button"):
                field["value"] = attrs.get("value") or ""
                field["type"] = kind
        elif tag == "select":
            self._select = field
        elif tag == "textarea":
            self._textarea = field

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the line break that opens a textarea's content.
            self._textarea["value"] = self._textarea["value"].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def post_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [form for form in parser.forms if form is not None]


def _plausible(name: str, field: dict) -> list[str]:
    """What a person might enter: one of the page's own options, the hidden value the page set,
    else what the page filled in or a guess from the field's name."""
    options = [o for o in field["options"] if o]
    if options:
        return options
    if field.get("type") == "hidden":
        return [field["value"]]
    found = [field["value"]] if field["value"] else []
    name = name.lower()
    if name.endswith("_0"):
        found += ["4", "28"]
    elif name.endswith("_1"):
        found += ["2", "11"]
    elif name.endswith("_2"):
        found += ["2014", "2026", "2027"]
    elif "email" in name:
        found.append("fuzz.person@example.org")
    elif name.endswith("time") or name.endswith("_at"):
        found.append("16:30")
    elif "link" in name or "url" in name:
        found.append("https://meet.example.org/abc")
    elif name == "financial_year":
        found += ["2026-27", "2025-26"]
    elif name in ("upn", "reference") or name.endswith("_id"):
        found += ["", "FZ0001"]
    elif field.get("type") == "number" or any(w in name for w in ("amount", "cost", "minutes", "percent", "days")):
        found += ["60", "0"]
    else:
        found += ["I will read daily", ""]
    return found


def nasty() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.text(max_size=40),  # any unicode but surrogates, control characters included
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "\n", "<b>", "😀"]), st.integers(200, 20_000)),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.lists(st.sampled_from(PAYLOADS), min_size=2, max_size=3),  # the same name sent twice or more
    )


def nasty_file() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe\x00a", "é;ß\r\n".encode("cp1252")]),
    )


@st.composite
def form_data(draw, form: dict) -> dict:
    """The form as a person would fill it, with up to four fields left out or spoilt, or (now and
    then) every field spoilt; sometimes unknown fields besides."""
    names = sorted(form["fields"])
    if names and draw(st.integers(0, 9)) == 9:
        touched = set(names)
    else:
        touched = draw(st.sets(st.sampled_from(names), max_size=4)) if names else set()
    data = {}
    for name in names:
        if name not in touched:
            data[name] = draw(st.sampled_from(_plausible(name, form["fields"][name])))
        elif draw(st.booleans()):
            data[name] = draw(nasty())
    for name in form["files"]:
        if draw(st.booleans()):
            data[name] = SimpleUploadedFile(draw(st.sampled_from(["x.csv", "x.txt", "f"])), draw(nasty_file()))
    extra = draw(st.dictionaries(st.sampled_from(["extra", "pk", "id", "continues", "lock_version", "to"]), nasty()))
    return {**extra, **data}


#: Forms whose save answers with a page showing, once, the secret it made.
SHOWN_ONCE = {"api_admin:token_add", "api_admin:webhook_add", "scim_admin:token_make"}
#: What a refused post must write, or guessing would cost nothing: a wrong code from the
#: authenticator app counts against the app's throttle (django-otp keeps the failures on the
#: device); a "Have your say" code that matches nothing is kept for the guessing limits and audited
#: as refused (tests/voice). Every other table must stay as it was.
REFUSED_WRITES = {
    "mfa:reset_app": {"otp_totp_totpdevice"},
    "voice:start": {"voice_codeattempt", "audit_auditentry"},
}


def checksums() -> dict[str, str]:
    """A digest of every row of every table (sessions aside: signing in and messages live there; and
    the audit entries that a page of a child's record was viewed, which every view of one writes).
    PostgreSQL digests them itself, in one query: a query a table cost a round trip each, thousands
    of times a run."""
    found = {}
    with connection.cursor() as cursor:
        tables = [table for table in sorted(connection.introspection.table_names(cursor)) if table != "django_session"]
        selects = {
            table: f"SELECT * FROM {connection.ops.quote_name(table)}"
            + (" WHERE verb <> 'viewed'" if table == "audit_auditentry" else "")
            for table in tables
        }
        if connection.vendor == "postgresql":
            digest = "md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), ''))"
            cursor.execute(
                " UNION ALL ".join(f"SELECT %s, (SELECT {digest} FROM ({select}) AS t)" for select in selects.values()),
                tables,
            )
            return dict(cursor.fetchall())
        for table, select in selects.items():
            cursor.execute(select)
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found


def _who(table: dict, name: str, allowed: int) -> tuple[str, str] | None:
    """(object column, first role allowed) for a URL, or None when nobody is."""
    column = OWN if takes_object(name) else ANY
    for role in ROLES:
        if role != "anonymous" and table[name][column][role] == allowed:
            return column, role
    return None


def _targets():
    for name in sorted(GET):
        if name in NOT_HERE:
            continue
        if name in POST:
            found = _who(POST, name, 302)
        else:
            found = _who(GET, name, 200)
        if found:
            yield pytest.param(name, *found, id=name)


# Pages where the forms posting to a POST-only URL are shown.
SHOWN_ON = ["plans:detail", "plans:whole", "clock:calendar", "funding:settings"]
PEP_PAGES = ("plans:detail", "plans:whole")


def _form_for(client, name: str, url: str, world) -> dict:
    if name not in POST:
        response = client.get(url)
        assert response.status_code == 200
        if not response["Content-Type"].startswith("text/html"):
            return None  # a PDF: no form
        pages = [response.content.decode()]
    else:
        pages = []
        pep = urlsplit(url).path.split("/")[2] if url.startswith("/peps/") else None
        for page in SHOWN_ON:
            target = reverse(page, args=[pep]) if page in PEP_PAGES and pep else None
            if page not in PEP_PAGES:
                target = reverse(page)
            if target:
                response = client.get(target)
                if response.status_code == 200:
                    pages.append(response.content.decode())
    for html in pages:
        for form in post_forms(html):
            if form["action"] in ("", url) or urlsplit(form["action"]).path == urlsplit(url).path:
                return form
    if name in POST:
        return {"action": url, "fields": {}, "files": set()}
    return None  # a page to read, not a form


@pytest.mark.parametrize(("name", "column", "role"), list(_targets()))
def test_form_survives_whatever_is_posted(name, column, role, world):
    url = _url(name, column, world)
    client = Client()
    sign_in(client, getattr(world, role))
    form = _form_for(client, name, url, world)
    if form is None:  # a page with no form: a post to it is refused or ignored, and writes nothing
        before = checksums()
        response = client.post(url, {"extra": MARKERS[0], "lock_version": "1"})
        assert response.status_code in (200, 302, 404, 405)
        assert MARKERS[0] not in response.content.decode(errors="replace")
        after = checksums()
        after.pop("audit_auditentry"), before.pop("audit_auditentry")  # reading a record is audited, by design
        assert after == before
        return

    # Each example is rolled back, so every one starts from these same rows.
    before = checksums()

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
    @engine_seed(name)
    @given(data=form_data(form))
    def post(data):
        with transaction.atomic():
            response = client.post(url, data)
            page = response.content.decode(errors="replace")
            assert response.status_code in (200, 302, 404), f"{name} answered {response.status_code}"
            event(f"answered {response.status_code}")
            assert "Traceback" not in page
            for marker in MARKERS:
                assert marker not in page, f"{name} rendered a posted script as markup"
            # A page that shows once what was made (a token's or a webhook's secret) answers a save
            # with 200 and no form; a school picker's "Search" shows the form again with the matches.
            shown_once = response.status_code == 200 and name in SHOWN_ONCE and "form" not in (response.context or {})
            searched = "find_school" in data
            if response.status_code == 200 and not shown_once and not searched:
                form_shown = (response.context or {}).get("form")
                errors = form_shown.errors if form_shown is not None else None
                unbound = form_shown is not None and not form_shown.is_bound  # nothing posted: a fresh form
                assert unbound or 'class="govuk-error-summary"' in page, (
                    f"{name} showed the form again without saying why: {errors!r} for {data!r}"[:2000]
                )
            if shown_once:
                assert "It will not be shown again." in page, f"{name} answered 200 with no form and no secret"
            elif response.status_code != 302:
                after = checksums()
                for table in REFUSED_WRITES.get(name, ()):
                    after[table] = before[table]
                assert after == before, f"{name} refused the post but wrote something"
            else:
                location = response["Location"]
                if location.startswith("/") and not location.startswith(reverse("login")):
                    shown = client.get(location)
                    assert shown.status_code == 200
                    shown_page = shown.content.decode(errors="replace")
                    for marker in MARKERS:
                        assert marker not in shown_page, f"{location} rendered a posted script as markup"
            transaction.set_rollback(True)

    post()
