"""The dashboard, the list behind each of its figures, and the PP+ ledger list; each list
downloads as CSV or XLSX (``?format=csv``), and each download is audited.

Everyone who may see a dashboard sees the same page, of the children they work with:
the Virtual School their authority's cohort, a team manager their team's, a Designated
Teacher their school's (``children_for``). Anyone else gets a 404."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from openpep.attendance.enums import academic_year
from openpep.children.queries import children_for
from openpep.funding.models import money
from openpep.funding.queries import with_ledgers
from openpep.funding.years import recent_financial_years
from openpep.people.models import LocalAuthority, School, Team
from openpep.people.queries import roles_of
from openpep.plans.enums import SenStatus
from openpep.plans.queries import wording_for
from openpep.warnings.enums import Kind as WarningKind

from . import annual, exports
from .charts import bar_chart
from .enums import DUE_SOON_SCHOOL_DAYS, AttendanceBand, DueState, FileFormat
from .forms import FilterForm
from .queries import (
    MEASURES,
    QA_RATINGS,
    Filters,
    cohort_figures,
    cohort_for,
    condition,
    filtered,
    horizons,
    initial_figures,
    pupil_premium,
    quality_by_term,
    schools_of,
    teams_of,
    voice_figures,
    warning_figures,
    with_facts,
    with_list_columns,
)
from .rules import can_see_annual_report, can_see_child_voice, can_see_dashboard
from .services import record_download


@dataclass(frozen=True)
class Figure:
    label: str
    value: Decimal | int
    shown: str
    url: str


class Page:
    """What every dashboard page starts from: who, today, the filters and the children."""

    def __init__(self, request):
        user = request.user
        if not can_see_dashboard(user):
            raise Http404
        self.user = user
        self.today = timezone.localdate()
        everyone = cohort_for(user, self.today)
        self.form = FilterForm(
            request.GET,
            schools=schools_of(everyone, self.today),
            teams=teams_of(everyone, self.today),
            financial_years=recent_financial_years(self.today),
            wording=wording_for(user),  # the phases as the person's council words them
        )
        self.filters: Filters = self.form.filters()
        self.children = filtered(everyone, self.filters, self.today)

    def url(self, name: str, **extra) -> str:
        return reverse(name) + "?" + urlencode({**self.filters.params(), **extra})

    def figure(self, key: str, label: str, value, *, shown: str | None = None) -> Figure:
        return Figure(
            label, value, shown if shown is not None else str(value), self.url("dashboards:children", figure=key)
        )

    def money(self, key: str, label: str, value: Decimal) -> Figure:
        return self.figure(key, label, value, shown=money(value))

    def context(self, **extra) -> dict:
        return {"form": self.form, "filters": self.filters, "scope": _scope(self.user), **extra}


def _scope(user) -> str:
    """Whose children the page is about, in words."""
    roles = roles_of(user)
    names = []
    if roles.virtual_school:
        for authority in LocalAuthority.objects.filter(pk__in=roles.vs_authority_ids):
            names.append(authority.virtual_school_name or authority.name)
    if roles.team_manager:
        names += [team.name for team in Team.objects.filter(pk__in=roles.managed_team_ids)]
    if roles.designated_teacher:
        names += [school.name for school in School.objects.filter(pk__in=roles.school_ids)]
    return ", ".join(names)


@login_required
def dashboard(request):
    page = Page(request)
    today, children, year = page.today, page.children, page.filters.financial_year
    found_horizons = horizons(children, today)
    figures = cohort_figures(children, today, found_horizons)
    initial = initial_figures(children, today)
    voice = _voice(page) if can_see_child_voice(page.user) else None
    terms, quality = quality_by_term(children)
    pp = pupil_premium(children, year, today)
    warnings = _warnings(page) if roles_of(page.user).virtual_school else None

    timeliness = [page.figure(f"due:{s.value}", s.label, figures[f"due:{s.value}"]) for s in DueState]
    attendance = [
        page.figure(f"attendance:{b.value}", b.label, figures[f"attendance:{b.value}"]) for b in AttendanceBand
    ]
    sen = [page.figure(f"sen:{s.value}", s.label, figures[f"sen:{s.value}"]) for s in SenStatus]
    sen.append(page.figure("sen:none", "Not recorded", figures["sen:none"]))
    exclusions = [
        page.figure("suspended", "Children suspended this academic year", figures["suspended"]),
        page.figure("suspended", "Suspensions", figures["suspensions"]),
        page.figure("suspended", "School days lost to suspension", figures["suspension_days"], shown=_days(figures)),
        page.figure("excluded", "Children permanently excluded", figures["excluded"]),
    ]
    totals = pp["totals"]
    pp_totals = [page.money("pp:allocated", f"Allocated ({totals['children']} children)", totals["allocated"])]
    pp_totals += [page.money(f"pp:{key}", label, totals[key]) for key, (label, _, _) in MEASURES.items()]
    quality_rows = [
        {
            "label": row.label,
            "decided": page.figure(f"decided:{row.key}", "decided", row.decided),
            "returned": page.figure(f"returned:{row.key}", "returned", row.returned),
            "percent": row.returned_percent,
            "ratings": [
                page.figure(f"qa:{rating}:{row.key}", label, row.ratings.get(rating, 0)) for rating, label in QA_RATINGS
            ],
        }
        for row in terms
    ]
    return render(
        request,
        "dashboards/dashboard.html",
        page.context(
            cohort=page.figure("cohort", "Children looked after", figures["cohort"]),
            timeliness=timeliness,
            timeliness_chart=bar_chart("PEPs by when they are due", [(f.label, f.value, f.shown) for f in timeliness]),
            due_soon_days=DUE_SOON_SCHOOL_DAYS,
            problems=sorted({h.problem for h in found_horizons if h.problem}),
            initial=initial,
            initial_within=page.figure("initial:within", "within the timescale", initial["initial:within"]),
            initial_late=page.figure("initial:late", "late", initial["initial:late"]),
            voice=voice,
            quality_rows=quality_rows,
            quality_totals=quality["totals"],
            with_ratings=quality["with_ratings"],
            qa_ratings=QA_RATINGS,
            quality_chart=bar_chart(
                "PEPs returned for amendment, by term",
                [(r.label, r.returned_percent or 0, f"{r.returned_percent or 0}%") for r in terms if r.decided],
                width=260,
            ),
            pp_totals=pp_totals,
            pp_chart=bar_chart("Pupil Premium Plus", [(f.label, f.value, f.shown) for f in pp_totals]),
            pp_by_school=[_money_row(page, row) for row in pp["by_school"]],
            pp_by_term=[_money_row(page, row) for row in pp["by_term"]],
            attendance=attendance,
            attendance_chart=bar_chart("Attendance", [(f.label, f.value, f.shown) for f in attendance]),
            persistent=page.figure("attendance:persistent", "Persistently absent", figures["attendance:persistent"]),
            exclusions=exclusions,
            sen=sen,
            sen_chart=bar_chart("SEN status", [(f.label, f.value, f.shown) for f in sen]),
            ledger_url=page.url("dashboards:ledger"),
            warnings=warnings,
        ),
    )


def _voice(page: Page) -> dict:
    """The child's voice: each figure a link to its children (for ``can_see_child_voice`` only)."""
    found = voice_figures(page.children, page.today)
    return {
        "percent": found["percent"],
        "own_words": page.figure("voice:own_words", "with the child's own words", found["own_words"]),
        "peps": page.figure("voice:peps", "started this academic year", found["peps"]),
        "took_part": [page.figure(key, label, count) for key, label, count in found["took_part"]],
    }


def _warnings(page: Page) -> dict:
    """The Virtual School's early warnings not yet acknowledged: children by kind and by school."""
    found = warning_figures(page.children)
    by_kind = [page.figure(f"warning:{kind.value}", kind.label, found["by_kind"][kind.value]) for kind in WarningKind]
    by_school = [
        page.figure(f"warning:school:{row['school_id']}", row["name"], row["children"]) for row in found["by_school"]
    ]
    return {
        "by_kind": by_kind,
        "by_school": by_school,
        "chart": bar_chart("Early warnings", [(f.label, f.value, f.shown) for f in by_kind]),
    }


def _days(figures) -> str:
    return f"{figures['suspension_days'].normalize():f}"


def _money_row(page: Page, row) -> dict:
    cells = {}
    if row.allocated is not None:
        cells["allocated"] = page.money(f"pp:allocated:{row.key}", "allocated", row.allocated)
    for key in MEASURES:
        cells[key] = page.money(f"pp:{key}:{row.key}", key, getattr(row, key))
    return {"label": row.label, **cells}


def _download_format(request) -> str | None:
    requested = request.GET.get("format")
    if requested is None:
        return None
    if requested not in FileFormat.values:
        raise Http404
    return requested


def _download(request, page: Page, *, list_name: str, title: str, columns, rows):
    file_format = _download_format(request)
    headings, values = exports.table(columns, rows)
    record_download(
        request.user,
        list_name=list_name,
        title=title,
        filters={**page.filters.params(), **({"figure": request.GET["figure"]} if "figure" in request.GET else {})},
        row_count=len(values),
        file_format=file_format,
    )
    filename = f"{list_name}-{page.today:%Y-%m-%d}"
    return exports.download(file_format, filename, title, headings, values)


@login_required
def children(request):
    """The children behind one figure (``?figure=``), with the dashboard's filters."""
    page = Page(request)
    key = request.GET.get("figure", "cohort")
    if key.startswith("warning:") and not roles_of(page.user).virtual_school:
        raise Http404  # early warnings are the Virtual School's figures (and go to the child's own people)
    if key.startswith("voice:") and not can_see_child_voice(page.user):
        raise Http404  # the child's voice is the council's measure, not on a school's dashboard
    title, found = condition(key, page.filters, page.today)
    rows = list(
        with_ledgers(
            with_list_columns(with_facts(page.children, page.today, horizons(page.children, page.today)), page.today),
            page.filters.financial_year,
        )
        .filter(found)
        .order_by("last_name", "first_name", "pk")
    )
    if _download_format(request):
        return _download(request, page, list_name="children", title=title, columns=exports.CHILD_COLUMNS, rows=rows)
    return render(
        request,
        "dashboards/children.html",
        page.context(
            title=title,
            rows=rows,
            figure=key,
            back_url=page.url("dashboards:dashboard"),
            csv_url=page.url("dashboards:children", figure=key, format="csv"),
            xlsx_url=page.url("dashboards:children", figure=key, format="xlsx"),
            today=page.today,
        ),
    )


@login_required
def ledger(request):
    """Every child's PP+ ledger for the financial year, with the dashboard's filters."""
    page = Page(request)
    year = page.filters.financial_year
    rows = list(
        with_ledgers(with_list_columns(page.children, page.today), year).order_by("last_name", "first_name", "pk")
    )
    title = f"Pupil Premium Plus ledger {year}"
    if _download_format(request):
        return _download(
            request, page, list_name="pupil-premium", title=title, columns=exports.LEDGER_COLUMNS, rows=rows
        )
    totals = pupil_premium(page.children, year, page.today)["totals"]
    return render(
        request,
        "dashboards/ledger.html",
        page.context(
            title=title,
            rows=rows,
            totals=totals,
            left=totals["allocated"] - totals["approved"],
            back_url=page.url("dashboards:dashboard"),
            csv_url=page.url("dashboards:ledger", format="csv"),
            xlsx_url=page.url("dashboards:ledger", format="xlsx"),
        ),
    )


#: Academic years the annual report offers: this one and the five before it.
REPORT_YEARS = 6


@login_required
def annual_report(request):
    """The figures of the Virtual School Head's annual report, for one academic year (``?year=2025``), per
    cohort; as CSV or XLSX with ``?format=`` (audited). The Virtual School's, of its own authority's children."""
    if not can_see_annual_report(request.user):
        raise Http404
    today = timezone.localdate()
    current = academic_year(today)
    years = list(range(current, current - REPORT_YEARS, -1))
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    report = annual.annual_report(children_for(request.user), year, today)
    file_format = _download_format(request)
    if file_format:
        headings, values = annual.table(report)
        title = f"Annual report figures {report.label}"
        record_download(
            request.user,
            list_name="annual-report",
            title=title,
            filters={"year": year},
            row_count=len(values),
            file_format=file_format,
        )
        return exports.download(file_format, f"annual-report-{year}-{year + 1}", title, headings, values)
    cohorts = report.cohorts
    url = reverse("dashboards:annual_report")
    return render(
        request,
        "dashboards/annual_report.html",
        {
            "scope": _scope(request.user),
            "report": report,
            "cohorts": cohorts,
            "sections": annual.sections(report),
            "topic_rows": [(topic, [counts[c.key] for c in cohorts]) for topic, counts in report.topics],
            "years": [(y, f"{y} to {y + 1}", f"{url}?year={y}") for y in years],
            "csv_url": f"{url}?year={year}&format=csv",
            "xlsx_url": f"{url}?year={year}&format=xlsx",
            "children_chart": bar_chart(
                "Children in each cohort", [(c.label, c.children, str(c.children)) for c in cohorts]
            ),
            "attendance_chart": bar_chart(
                "Attendance",
                [
                    (c.label, c.attendance or 0, f"{c.attendance}%" if c.attendance is not None else "No data")
                    for c in cohorts
                ],
            ),
            "persistent_chart": bar_chart(
                "Persistently absent",
                [
                    (
                        c.label,
                        c.persistent_percent or 0,
                        f"{c.persistent_percent}%" if c.persistent_percent is not None else "No data",
                    )
                    for c in cohorts
                ],
            ),
            "advice_chart": bar_chart("Advice given", [(c.label, c.advice, str(c.advice)) for c in cohorts]),
        },
    )
