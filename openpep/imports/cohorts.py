"""The Virtual School's wider cohorts, from the council's files: children with a social worker from a
CSV shaped like the Children in Need census (``import_cin``), and children in kinship care or
previously looked after from a CSV of their orders (``import_orders``).

Both read through ``reading.read_csv`` and behave as the other imports: the whole file is checked
first, a child with any wrong row is written not at all, ``dry_run`` writes nothing, every problem
is ``FILE:LINE: column NAME: message``. Children are found by LA child ID, else UPN, among the
importing council's children only: a child already in OpenPEP (looked after, or in another cohort)
keeps their one record and gains the membership, and their UPN, names, date of birth and sex are
updated where the file gives them (``children.services.update_child``, audited; ``Report.changes``
says whose and which); a child new to OpenPEP is created with no date of entering care (never
looked after). A plan or order is keyed by its cohort, kind and start date: given again, its end
date is updated; those the file does not give are left as they are.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import record, snapshot
from openpep.children.enums import KINDS_OF, Cohort, CohortKind, FromWhere, Gender
from openpep.children.models import Child, CohortMembership, validate_upn
from openpep.children.services import update_child
from openpep.people.models import LocalAuthority

from .reading import Change, HeaderProblem, Problem, Report, parse_date, read_csv

#: The child's columns both files share, named as the CIN census names them, with the other names they go by.
CHILD_COLUMNS = {
    "LAchildID": ("CHILD", "LA CHILD ID", "CHILD ID", "LOCAL ID"),
    "UPN": (),
    "Forename": ("FIRST NAME", "GIVEN NAME"),
    "Surname": ("LAST NAME", "FAMILY NAME"),
    "PersonBirthDate": ("DOB", "DATE OF BIRTH"),
    "GenderCurrent": ("SEX", "GENDER"),
}
CIN_COLUMNS = {
    **CHILD_COLUMNS,
    "CINPlanStartDate": ("CIN PLAN START DATE",),
    "CINPlanEndDate": ("CIN PLAN END DATE",),
    "CPPstartDate": ("CPP START DATE",),
    "CPPendDate": ("CPP END DATE",),
}
ORDER_COLUMNS = {
    **CHILD_COLUMNS,
    "Cohort": (),
    "OrderType": ("ORDER", "ORDER TYPE", "ARRANGEMENT"),
    "OrderDate": ("ORDER START DATE", "START DATE", "DATE OF ORDER"),
    "OrderEndDate": ("END DATE", "ORDER END"),
    "LookedAfterIn": ("LOOKED AFTER BY", "PREVIOUSLY LOOKED AFTER IN", "FROM WHERE"),
}
CIN_REQUIRED = ["LAchildID"]
ORDER_REQUIRED = ["LAchildID", "Cohort", "OrderType", "OrderDate"]
TEXT = {
    "LAchildID": Child._meta.get_field("local_id").max_length,
    "Forename": Child._meta.get_field("first_name").max_length,
    "Surname": Child._meta.get_field("last_name").max_length,
}
#: The import pages' example files (a test imports each).
CIN_EXAMPLE = (
    ("SW1001", "", "Robin", "Ashdown", "2015-03-14", "2", "2025-01-06", "", "", ""),
    ("SW1001", "", "Robin", "Ashdown", "2015-03-14", "2", "", "", "03/06/2025", "20/11/2025"),
)
ORDER_EXAMPLE = (
    ("KC2001", "", "Morgan", "Fairley", "2016-07-02", "1", "Kinship", "SGO", "2023-05-11", "", ""),
    (
        "PL3001",
        "",
        "Jordan",
        "Westcott",
        "2013-10-20",
        "2",
        "Previously looked after",
        "Adoption",
        "2019-02-01",
        "",
        "Wales",
    ),
)
#: The DfE's codes for why a child has no UPN (UN1–UN10): no UPN.
NO_UPN = {f"UN{i}" for i in range(1, 11)}
#: GenderCurrent in the CIN census: 1 male, 2 female, 0 not known, 9 not specified; and the letters councils use.
SEXES = {
    "1": Gender.MALE,
    "M": Gender.MALE,
    "MALE": Gender.MALE,
    "2": Gender.FEMALE,
    "F": Gender.FEMALE,
    "FEMALE": Gender.FEMALE,
    "0": Gender.OTHER,
    "9": Gender.OTHER,
    "U": Gender.OTHER,
}
COHORTS = {
    "KINSHIP": Cohort.KINSHIP,
    "KINSHIP CARE": Cohort.KINSHIP,
    "K": Cohort.KINSHIP,
    "PREVIOUSLY LOOKED AFTER": Cohort.PREVIOUSLY_LOOKED_AFTER,
    "PLAC": Cohort.PREVIOUSLY_LOOKED_AFTER,
    "PLA": Cohort.PREVIOUSLY_LOOKED_AFTER,
}
ORDERS = {
    "ADOPTION": CohortKind.ADOPTION,
    "ADOPTION ORDER": CohortKind.ADOPTION,
    "AO": CohortKind.ADOPTION,
    "SGO": CohortKind.SGO,
    "SPECIAL GUARDIANSHIP": CohortKind.SGO,
    "SPECIAL GUARDIANSHIP ORDER": CohortKind.SGO,
    "CAO": CohortKind.CAO,
    "CHILD ARRANGEMENTS ORDER": CohortKind.CAO,
    "RO": CohortKind.CAO,  # a residence order, which child arrangements orders replaced in 2014
    "RESIDENCE ORDER": CohortKind.CAO,
    "INFORMAL": CohortKind.INFORMAL,
    "PRIVATE": CohortKind.INFORMAL,
    "INFORMAL OR PRIVATE ARRANGEMENT": CohortKind.INFORMAL,
}
WHERE = {
    "ENGLAND": FromWhere.ENGLAND,
    "WALES": FromWhere.WALES,
    "OUTSIDE": FromWhere.OUTSIDE,
    "OUTSIDE ENGLAND AND WALES": FromWhere.OUTSIDE,
    "ABROAD": FromWhere.OUTSIDE,
}
BATCH = 500
SUMMARY = "Imported from the council's {} file"


@dataclass
class Plan:
    """One membership a line gives."""

    line: int
    column: str  # the start date's column, where a problem with the plan is reported
    end_column: str
    cohort: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    from_where: str = ""


#: The child's details a file gives, by the ``Child`` field and the column that gives it.
DETAILS = {
    "upn": "UPN",
    "first_name": "Forename",
    "last_name": "Surname",
    "date_of_birth": "PersonBirthDate",
    "gender": "GenderCurrent",
}


@dataclass
class ChildRows:
    local_id: str
    line: int
    upn: str = ""
    first_name: str = ""
    last_name: str = ""
    date_of_birth: datetime.date | None = None
    gender: str = ""
    plans: list[Plan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The line that first gave each detail (by ``Child`` field): a problem with it is reported there.
    given_on: dict[str, int] = field(default_factory=dict)


def import_cin(
    path: str,
    authority: LocalAuthority,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    actor=None,
) -> Report:
    """Children with a social worker: each line a child's CIN plan (CINPlanStartDate, CINPlanEndDate), a child
    protection plan (CPPstartDate, CPPendDate) or both, with the child's LAchildID and UPN — and, for a child
    new to OpenPEP, Forename, Surname, PersonBirthDate and GenderCurrent. Side effects: children and
    memberships created or updated, each audited (``actor``, None from the command), in batches of one
    transaction each."""
    return _import(path, authority, "import_cin", CIN_COLUMNS, CIN_REQUIRED, _cin_plans, dry_run, progress, actor)


def import_orders(
    path: str,
    authority: LocalAuthority,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    actor=None,
) -> Report:
    """Children in kinship care or previously looked after: each line an order or arrangement (Cohort,
    OrderType, OrderDate, OrderEndDate; LookedAfterIn for a previously looked-after child), with the child's
    identity as for ``import_cin``. Side effects as ``import_cin``'s."""
    return _import(
        path, authority, "import_orders", ORDER_COLUMNS, ORDER_REQUIRED, _order_plans, dry_run, progress, actor
    )


def _import(path, authority, name, columns, required, plans_of, dry_run, progress, actor) -> Report:
    report = Report(name, dry_run=dry_run)
    report.extra = {"memberships created": 0, "memberships updated": 0, "children's details updated": 0}
    children: dict[str, ChildRows] = {}
    try:
        for line, values, unreadable in read_csv(path, columns, required, progress, text=TEXT):
            _add(path, line, values, unreadable, children, plans_of)
    except HeaderProblem as error:
        report.problems.extend(error.problems)
        return report
    report.read = len(children)
    # A UPN given for two children of the file is refused for both: which of them it is, is not known.
    upns: dict[str, list[ChildRows]] = {}
    for child in children.values():
        if child.upn:
            upns.setdefault(child.upn, []).append(child)
    for upn, given in upns.items():
        for child in given if len(given) > 1 else []:
            others = ", ".join(o.local_id for o in given if o is not child)
            child.problems.append(Problem(path, child.line, "UPN", f"UPN {upn} is also given for child {others}"))
    valid = []
    for child in children.values():
        if child.problems:
            report.problems.extend(child.problems)
            report.rejected += 1
        else:
            valid.append(child)
    for start in range(0, len(valid), BATCH):
        _write(path, valid[start : start + BATCH], authority, report, actor, name)
    report.problems.sort(key=lambda p: p.line)
    return report


def _date(path, line, values, column, problems, *, required=False) -> datetime.date | None:
    value = values.get(column, "")
    if not value:
        if required:
            problems.append(Problem(path, line, column, "is empty"))
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        problems.append(Problem(path, line, column, str(error)))
        return None


def _add(path, line, values, unreadable, children, plans_of) -> None:
    local_id = values.get("LAchildID", "")
    if any(p.column == "LAchildID" for p in unreadable) or not local_id:
        key = f"line {line}"  # whose row it is cannot be told: it is reported on its own
        problems = list(unreadable) or [Problem(path, line, "LAchildID", "is empty: which child is this?")]
        children[key] = ChildRows(key, line, problems=problems)
        return
    child = children.setdefault(local_id, ChildRows(local_id, line))
    problems = list(unreadable)
    given = {}
    upn = values.get("UPN", "").upper().replace(" ", "")
    if upn and upn not in NO_UPN and not any(p.column == "UPN" for p in unreadable):
        try:
            validate_upn(upn)
        except ValidationError as error:
            problems.append(Problem(path, line, "UPN", f"{values['UPN']!r}: {error.messages[0]}"))
        else:
            given["upn"] = upn
    for name in ("first_name", "last_name"):
        if values.get(DETAILS[name]):
            given[name] = values[DETAILS[name]]
    born = _date(path, line, values, "PersonBirthDate", problems)
    if born:
        given["date_of_birth"] = born
    sex = values.get("GenderCurrent", "").upper()
    if sex in SEXES:
        given["gender"] = SEXES[sex].value
    elif sex:
        problems.append(
            Problem(
                path, line, "GenderCurrent", f"{values['GenderCurrent']!r} is not a code for sex: give 1, 2, 0 or 9"
            )
        )
    # The child's lines must agree: which of two UPNs (or names, or dates of birth) is theirs is not known.
    for name, value in given.items():
        first = getattr(child, name)
        if first and first != value:
            column = DETAILS[name]
            problems.append(
                Problem(path, line, column, f"is not the {column} given for this child on line {child.given_on[name]}")
            )
        elif not first:
            setattr(child, name, value)
            child.given_on[name] = line
    plans = plans_of(path, line, values, problems)
    for plan in plans:
        if plan.ends_on and plan.ends_on < plan.starts_on:
            problems.append(Problem(path, line, plan.end_column, f"is before {plan.column}"))
        for other in child.plans:
            if (other.cohort, other.kind, other.starts_on) == (plan.cohort, plan.kind, plan.starts_on):
                problems.append(
                    Problem(path, line, plan.column, f"this plan is given again (first on line {other.line})")
                )
    if problems:
        child.problems.extend(problems)
    else:
        child.plans.extend(plans)


def _cin_plans(path, line, values, problems) -> list[Plan]:
    plans = []
    for kind, start, end in (
        (CohortKind.CIN, "CINPlanStartDate", "CINPlanEndDate"),
        (CohortKind.CPP, "CPPstartDate", "CPPendDate"),
    ):
        starts_on = _date(path, line, values, start, problems)
        ends_on = _date(path, line, values, end, problems)
        if starts_on:
            plans.append(Plan(line, start, end, Cohort.SOCIAL_WORKER, kind, starts_on, ends_on))
        elif values.get(end) and not values.get(start):
            problems.append(Problem(path, line, start, f"is empty, but {end} is given"))
    if not plans and not any(values.get(c) for c in ("CINPlanStartDate", "CPPstartDate")):
        problems.append(Problem(path, line, "CINPlanStartDate", "is empty: give CINPlanStartDate or CPPstartDate"))
    return plans


def _order_plans(path, line, values, problems) -> list[Plan]:
    cohort = COHORTS.get(values["Cohort"].upper().replace("-", " "))
    if cohort is None:
        problems.append(
            Problem(
                path, line, "Cohort", f"{values['Cohort']!r} is not a cohort: give Kinship or Previously looked after"
            )
        )
    kind = ORDERS.get(values["OrderType"].upper())
    if kind is None:
        problems.append(
            Problem(
                path, line, "OrderType", f"{values['OrderType']!r} is not an order: give Adoption, SGO, CAO or Informal"
            )
        )
    elif cohort is not None and kind not in KINDS_OF[cohort]:
        allowed = ", ".join(str(k.label).lower() for k in KINDS_OF[cohort])
        problems.append(Problem(path, line, "OrderType", f"is not an order of {cohort.label.lower()}: give {allowed}"))
    where_given = values.get("LookedAfterIn", "")
    where = WHERE.get(where_given.upper()) if where_given else ""
    if where is None:
        problems.append(
            Problem(path, line, "LookedAfterIn", f"{where_given!r} is not a place: give England, Wales or Outside")
        )
    elif cohort == Cohort.PREVIOUSLY_LOOKED_AFTER and not where:
        problems.append(Problem(path, line, "LookedAfterIn", "is empty: where was the child looked after?"))
    elif cohort == Cohort.KINSHIP and where:
        problems.append(
            Problem(path, line, "LookedAfterIn", "is for previously looked-after children only: leave it empty")
        )
    starts_on = _date(path, line, values, "OrderDate", problems, required=True)
    ends_on = _date(path, line, values, "OrderEndDate", problems)
    if cohort is None or kind is None or starts_on is None or where is None:
        return []
    return [Plan(line, "OrderDate", "OrderEndDate", cohort, kind, starts_on, ends_on, where or "")]


def _write(path, batch: list[ChildRows], authority: LocalAuthority, report: Report, actor, name: str) -> None:
    summary = SUMMARY.format("Children in Need" if name == "import_cin" else "orders")
    with transaction.atomic():
        local_ids = [rows.local_id for rows in batch]
        upns = [rows.upn for rows in batch if rows.upn]
        ours = {c.local_id: c for c in Child.objects.filter(local_authority=authority, local_id__in=local_ids)}
        # A UPN is unique in the whole service: one of another council's children is named to no one.
        by_upn = {
            c.upn: c for c in Child.objects.filter(upn__in=upns).only("pk", "upn", "local_id", "local_authority_id")
        }
        existing: dict[int, list[CohortMembership]] = {}
        found_ids = [c.pk for c in ours.values()] + [
            c.pk for c in by_upn.values() if c.local_authority_id == authority.pk
        ]
        for membership in CohortMembership.objects.filter(child_id__in=found_ids):
            existing.setdefault(membership.child_id, []).append(membership)
        for rows in batch:
            problems = []
            child = ours.get(rows.local_id)
            owner = by_upn.get(rows.upn) if rows.upn else None
            upn_line = rows.given_on.get("upn", rows.line)
            if owner is not None and owner.local_authority_id != authority.pk:
                problems.append(Problem(path, upn_line, "UPN", f"UPN {rows.upn} belongs to another child"))
            elif owner is not None and child is None:
                problems.append(
                    Problem(
                        path, upn_line, "UPN", f"UPN {rows.upn} is your child {owner.local_id}: give that LAchildID"
                    )
                )
            elif owner is not None and owner.pk != child.pk:
                problems.append(
                    Problem(
                        path, upn_line, "UPN", f"UPN {rows.upn} is your child {owner.local_id}, not {rows.local_id}"
                    )
                )
            if child is None and not problems:
                for column, value in (
                    ("Forename", rows.first_name),
                    ("Surname", rows.last_name),
                    ("PersonBirthDate", rows.date_of_birth),
                    ("GenderCurrent", rows.gender),
                ):
                    if not value:
                        problems.append(
                            Problem(path, rows.line, column, f"is empty: child {rows.local_id} is new to OpenPEP")
                        )
            if problems:
                report.problems.extend(problems)
                report.rejected += 1
                continue
            new_child = child is None
            if new_child:
                child = Child(
                    local_authority=authority,
                    local_id=rows.local_id,
                    upn=rows.upn,
                    first_name=rows.first_name,
                    last_name=rows.last_name,
                    date_of_birth=rows.date_of_birth,
                    gender=rows.gender,
                    care_start_date=None,
                )
                if not report.dry_run:
                    child.save()
                    record(actor, Verb.CREATED, child, summary=f"{summary}: {child.full_name}", after=snapshot(child))
                details = False
            else:
                details = _details(path, child, rows, report, actor, summary)
            created, updated = _memberships(
                child, rows, existing.get(child.pk, []) if child.pk else [], report, actor, summary
            )
            report.extra["memberships created"] += created
            report.extra["memberships updated"] += updated
            if new_child:
                report.created += 1
            elif created or updated or details:
                report.updated += 1
            else:
                report.unchanged += 1


def _details(path, child: Child, rows: ChildRows, report: Report, actor, summary: str) -> bool:
    """Update a known child's UPN, names, date of birth and sex where the file gives them and they differ,
    through the children app's service (which audits it). A code for sex "not known" (0, 9, U) does not
    replace a sex the record knows. Whether anything changed (or, in a dry run, would)."""
    before = snapshot(child)
    columns = []
    for name, column in DETAILS.items():
        value = getattr(rows, name)
        if not value or value == getattr(child, name):
            continue
        if name == "gender" and value == Gender.OTHER and child.gender in (Gender.MALE, Gender.FEMALE):
            continue
        setattr(child, name, value)
        columns.append(column)
    if not columns:
        return False
    report.changes.append(Change(path, rows.line, f"child {rows.local_id}", tuple(columns), report.dry_run))
    report.extra["children's details updated"] += 1
    if not report.dry_run:
        update_child(actor, child, before, summary=f"{summary}: details of child {rows.local_id}")
    return True


def _memberships(child: Child, rows: ChildRows, existing: list, report: Report, actor, summary: str) -> tuple[int, int]:
    by_key = {(m.cohort, m.kind, m.starts_on): m for m in existing}
    created = updated = 0
    for plan in rows.plans:
        membership = by_key.get((plan.cohort, plan.kind, plan.starts_on))
        if membership is None:
            created += 1
            if report.dry_run:
                continue
            membership = CohortMembership.objects.create(
                child=child,
                cohort=plan.cohort,
                kind=plan.kind,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                from_where=plan.from_where,
            )
            record(
                actor,
                Verb.CREATED,
                membership,
                summary=f"{summary}: {child.full_name} in a cohort: {membership}",
                after=snapshot(membership, ["cohort", "kind", "starts_on", "ends_on", "from_where"]),
            )
        elif (membership.ends_on, membership.from_where) != (plan.ends_on, plan.from_where):
            updated += 1
            if report.dry_run:
                continue
            before = snapshot(membership, ["ends_on", "from_where"])
            membership.ends_on, membership.from_where = plan.ends_on, plan.from_where
            membership.save(update_fields=["ends_on", "from_where"])
            record(
                actor,
                Verb.UPDATED,
                membership,
                summary=f"{summary}: {child.full_name}'s {membership.get_kind_display().lower()}",
                before=before,
                after=snapshot(membership, ["ends_on", "from_where"]),
            )
    return created, updated
