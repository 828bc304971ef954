"""The 903 import's problems carry the codes of the DfE validation rules they are."""

import datetime
import pathlib

import pytest

from openpep.audit.models import AuditEntry
from openpep.children.models import Child, Placement
from openpep.imports.dfe_rules import (
    RULESETS,
    Check,
    birthday,
    collection_end,
    collection_year,
    rule_for,
    ruleset_year,
    table,
)
from synthetic.files import EPISODES_903, HEADER_903, upn, write_csv

from .conftest import run

pytestmark = pytest.mark.django_db

UPN = upn(1)
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "imports.md"


def child(local_id="C1", sex="1", dob="03/04/2012", upn_=""):
    return [local_id, sex, dob, "WBRI", upn_, "", ""]


def episode(decom="01/05/2024", dec="", *, local_id="C1", ls="C2", place="U4", rne="S"):
    return [local_id, decom, rne, ls, "N1", place, "PR1", dec, "E3" if dec else "", "", "AB1", "CD2", "SC999999"]


def import_files(tmp_path, header, episodes, *options):
    h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
    write_csv(h, HEADER_903, header)
    write_csv(e, EPISODES_903, episodes)
    status, out, err = run("import_903", h, e, "--authority", "201", *options)
    return status, out, err.replace(str(h), "H").replace(str(e), "E").splitlines()


SEX = "is not a code for sex OpenPEP can record: give 1 or M (male), 2 or F (female)"
NOT_A_DATE = "is not a date: give dd/mm/yyyy or yyyy-mm-dd"

# (what, header rows, episode rows, options, the one problem reported)
BAD = [
    (
        "sex, 2023-24",
        [child(sex="3")],
        [episode()],
        ["--year", "2023-24"],
        f"H:2: column SEX: '3' {SEX} (DfE rule 101)",
    ),
    ("sex, 2024-25", [child(sex="X")], [episode()], [], f"H:2: column SEX: 'X' {SEX} (DfE rule 101)"),
    ("sex unknown, 2024-25", [child(sex="U")], [episode()], [], f"H:2: column SEX: 'U' {SEX} (DfE rule 232)"),
    (
        "sex U before 2024-25",
        [child(sex="U")],
        [episode()],
        ["--year", "2023-24"],
        f"H:2: column SEX: 'U' {SEX} (DfE rule 101)",
    ),
    (
        "date of birth",
        [child(dob="30/02/2012")],
        [episode()],
        [],
        f"H:2: column DOB: '30/02/2012' {NOT_A_DATE} (DfE rule 102)",
    ),
    (
        "UPN",
        [child(upn_="A123456789012")],
        [episode()],
        [],
        "H:2: column UPN: 'A123456789012': Enter a valid UPN: 13 characters, starting with its check letter, "
        "like A123456789012 (one of the parts of the number are invalid or unknown) (DfE rule 168)",
    ),
    (
        "episode start",
        [child()],
        [episode("01/13/2024")],
        [],
        f"E:2: column DECOM: '01/13/2024' {NOT_A_DATE} (DfE rule 141)",
    ),
    (
        "episode end",
        [child()],
        [episode(dec="2024-06-31")],
        [],
        f"E:2: column DEC: '2024-06-31' {NOT_A_DATE} (DfE rule 147)",
    ),
    (
        "reason for new episode",
        [child()],
        [episode(rne="X")],
        [],
        "E:2: column RNE: 'X' is not a reason for new episode code of the SSDA903: give B, L, P, S, T, U"
        " (DfE rule 143)",
    ),
    (
        "legal status",
        [child()],
        [episode(ls="X9")],
        [],
        "E:2: column LS: 'X9' is not a legal status code of the SSDA903 (DfE rule 144)",
    ),
    (
        "placement type",
        [child()],
        [episode(place="Q1")],
        [],
        "E:2: column PLACE: 'Q1' is not a placement type code of the SSDA903 (DfE rule 146)",
    ),
    (
        "end before start",
        [child()],
        [episode("01/05/2024", "30/04/2024")],
        [],
        "E:2: column DEC: 30/04/2024 is before the episode starts (01/05/2024) (DfE rule 356)",
    ),
    (
        "previous episode not ended",
        [child()],
        [episode("01/05/2024"), episode("01/06/2024", rne="P")],
        [],
        "E:3: column DECOM: this episode overlaps the one on line 2 (DfE rule 142)",
    ),
    (
        "starts before the previous one ends",
        [child()],
        [episode("01/05/2024", "10/06/2024"), episode("01/06/2024", rne="P")],
        [],
        "E:3: column DECOM: this episode overlaps the one on line 2 (DfE rule 501)",
    ),
    (
        "before birth",
        [child(dob="03/04/2012")],
        [episode("01/02/2011", "01/06/2024"), episode("01/06/2024", rne="P")],
        [],
        "E:2: column DECOM: the child's first episode starts on 01/02/2011, before their date of birth (03/04/2012) "
        "(DfE rule 302)",
    ),
    (
        "before the Children Act 1989",
        [child(dob="03/04/1980")],
        [episode("13/10/1991", "01/06/2024"), episode("01/06/2024", rne="P")],
        [],
        "E:2: column DECOM: 13/10/1991 is before 14/10/1991, when the Children Act 1989 came into force (DfE rule 353)",
    ),
    (
        # A later date chooses the year: 01/04/2025 is in 2025-26, when duplicate UPNs became rule 444.
        "duplicate UPN, 2025-26",
        [child(upn_=UPN), child("C2", upn_=UPN)],
        [episode("01/04/2025"), episode(local_id="C2")],
        [],
        f"H:2: column UPN: UPN {UPN} is also given for child C2 (DfE rule 444)\n"
        f"H:3: column UPN: UPN {UPN} is also given for child C1 (DfE rule 444)",
    ),
    (
        "UPN of three children",
        [child(upn_=UPN), child("C2", upn_=UPN), child("C3", upn_=UPN)],
        [episode("01/04/2025"), episode(local_id="C2"), episode(local_id="C3")],
        [],
        f"H:2: column UPN: UPN {UPN} is also given for child C2 and 1 more (DfE rule 444)\n"
        f"H:3: column UPN: UPN {UPN} is also given for child C1 and 1 more (DfE rule 444)\n"
        f"H:4: column UPN: UPN {UPN} is also given for child C1 and 1 more (DfE rule 444)",
    ),
    (
        "duplicate UPN, 2024-25: no rule yet",
        [child(upn_=UPN), child("C2", upn_=UPN)],
        [episode("31/03/2025"), episode(local_id="C2")],
        [],
        f"H:2: column UPN: UPN {UPN} is also given for child C2\nH:3: column UPN: UPN {UPN} is also given for child C1",
    ),
    # The collection year's own rules: the year's end, an episode of less than a day, ages.
    (
        "born after the collection year ends",
        [child(dob="01/05/2024")],
        [episode("01/06/2024")],
        ["--year", "2023-24"],
        "H:2: column DOB: 01/05/2024 is after the collection year ends (31/03/2024) (DfE rule 301)",
    ),
    (
        "episode ends after the collection year",
        [child()],
        [episode("01/05/2023", "10/04/2024")],
        ["--year", "2023-24"],
        "E:2: column DEC: 10/04/2024 is after the collection year ends (31/03/2024) (DfE rule 385)",
    ),
    (
        "episode of less than a day",
        [child()],
        [episode("01/05/2024", "01/05/2024")],
        [],
        "E:2: column DEC: the episode ends on the day it starts (01/05/2024): a period of less than 24 hours is "
        "not an episode of care (DfE rule 355)",
    ),
    (
        "started to be looked after on their 18th birthday",
        [child(dob="03/04/2005")],
        [episode("03/04/2023")],
        [],
        "E:2: column DECOM: the child started to be looked after on 03/04/2023, aged 18 or over (born 03/04/2005) "
        "(DfE rule 352)",
    ),
    (
        "remanded under 10",
        [child(dob="03/04/2014")],
        [episode("02/04/2024", ls="J1")],
        [],
        "E:2: column LS: 'J1' is for a child of at least 10: this episode starts on 02/04/2024, before their 10th "
        "birthday (born 03/04/2014) (DfE rule 358)",
    ),
    (
        "independent living at 14, 2022-23",
        [child(dob="03/04/2008")],
        [episode("01/05/2022", place="P2")],
        [],
        "E:2: column PLACE: 'P2' is for a child of at least 15: this episode starts on 01/05/2022, before their "
        "15th birthday (born 03/04/2008) (DfE rule 370)",
    ),
    (
        "independent living at 15, 2023-24",
        [child(dob="03/04/2008")],
        [episode("01/05/2023", place="P2")],
        [],
        "E:2: column PLACE: 'P2' is for a child of at least 16: this episode starts on 01/05/2023, before their "
        "16th birthday (born 03/04/2008) (DfE rule 370)",
    ),
    (
        "semi-independent living at 15, 2023-24",
        [child(dob="03/04/2008")],
        [episode("01/05/2023", place="H5")],
        [],
        "E:2: column PLACE: 'H5' is for a child of at least 16: this episode starts on 01/05/2023, before their "
        "16th birthday (born 03/04/2008) (DfE rule 371)",
    ),
    (
        "youth custody at 9",
        [child(dob="03/04/2015")],
        [episode(place="R5")],
        [],
        "E:2: column PLACE: 'R5' is for a child of at least 10: this episode starts on 01/05/2024, before their "
        "10th birthday (born 03/04/2015) (DfE rule 372)",
    ),
    (
        "a school at 3",
        [child(dob="03/04/2021")],
        [episode(place="S1")],
        [],
        "E:2: column PLACE: 'S1' is for a child of at least 4: this episode starts on 01/05/2024, before their "
        "4th birthday (born 03/04/2021) (DfE rule 373)",
    ),
    (
        "residential employment at 13",
        [child(dob="03/04/2011")],
        [episode(place="P3")],
        [],
        "E:2: column PLACE: 'P3' is for a child of at least 14: this episode starts on 01/05/2024, before their "
        "14th birthday (born 03/04/2011) (DfE rule 374)",
    ),
    (
        "a placement type of 2024-25 OpenPEP lacks is not a DfE error",
        [child()],
        [episode(place="K3")],
        [],
        "E:2: column PLACE: 'K3' is a placement type code OpenPEP does not know yet",
    ),
    (
        "a child not in the Header is no DfE rule",
        [child()],
        [episode(local_id="C9")],
        [],
        "E:2: column CHILD: child 'C9' is not in the Header file\nH:2: column CHILD: child C1 has no episodes",
    ),
]


@pytest.mark.parametrize(("header", "episodes", "options", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
@pytest.mark.parametrize("dry_run", [False, True], ids=["", "dry run"])
def test_each_rule_is_reported_with_its_code_and_nothing_is_written(
    tmp_path, authority, header, episodes, options, expected, dry_run
):
    status, out, lines = import_files(tmp_path, header, episodes, *options, *(["--dry-run"] if dry_run else []))
    assert status == 1
    assert sorted(lines[:-1]) == sorted(expected.splitlines())
    assert lines[-1].endswith("errors: see the lines above")
    assert "0 created" in out
    assert (Child.objects.count(), Placement.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_a_good_file_has_no_codes_and_says_which_years_rules(tmp_path, authority):
    status, out, lines = import_files(
        tmp_path,
        [child(sex="M", upn_=UPN), child("C2", sex="F")],
        [episode("01/05/2024", "01/06/2024"), episode("01/06/2024", rne="P", place="K2"), episode(local_id="C2")],
    )
    assert (status, lines) == (0, [])
    assert "2 created" in out and out.rstrip().endswith("; DfE rules of the collection year 2024-25")
    assert dict(Child.objects.values_list("local_id", "gender")) == {"C1": "1", "C2": "2"}
    assert Placement.objects.count() == 3


# (what, year, header rows, episode rows): each child on the right side of a rule of the year's, by a day.
GOOD = [
    (
        "2024-25",
        "2024-25",
        [
            child("C301", dob="31/03/2025"),
            child("C355"),
            child("C352", dob="03/04/2006"),
            child("C358", dob="03/04/2014"),
            child("C370", dob="03/04/2010"),
            child("C371", dob="03/04/2010"),
            child("C372", dob="03/04/2014"),
            child("C373", dob="03/04/2020"),
            child("C374", dob="03/04/2010"),
        ],
        [
            episode("31/03/2025", local_id="C301"),
            episode("01/05/2024", "02/05/2024", local_id="C355"),  # a day long
            # 352: the day before their 18th birthday; 385: ends on the year's last day
            episode("02/04/2024", "31/03/2025", local_id="C352"),
            episode("03/04/2024", local_id="C358", ls="J1"),  # 358: on their 10th birthday
            episode("01/05/2024", local_id="C370", place="P2"),  # 370 is gone from 2024-25
            episode("01/05/2024", local_id="C371", place="H5"),  # 371 is about K3 from 2024-25
            episode("03/04/2024", local_id="C372", place="R5"),
            episode("03/04/2024", local_id="C373", place="S1"),
            episode("03/04/2024", local_id="C374", place="P3"),
        ],
    ),
    (
        "2022-23: independent living at 15, semi-independent at 14",
        "2022-23",
        [child("C370", dob="01/05/2007"), child("C371", dob="01/05/2008")],
        [episode("01/05/2022", local_id="C370", place="P2"), episode("01/05/2022", local_id="C371", place="H5")],
    ),
    (
        "2023-24: both at 16; a child turned 18 in care starts a new episode",
        "2023-24",
        [child("C370", dob="01/05/2007"), child("C371", dob="01/05/2007"), child("C352", dob="01/01/2005")],
        [
            episode("01/05/2023", local_id="C370", place="P2"),
            episode("01/05/2023", local_id="C371", place="H5"),
            episode("01/01/2022", "01/06/2023", local_id="C352"),
            episode("01/06/2023", local_id="C352", rne="P"),
        ],
    ),
]


@pytest.mark.parametrize(("year", "header", "episodes"), [g[1:] for g in GOOD], ids=[g[0] for g in GOOD])
def test_the_years_rules_pass_a_child_on_the_right_side_of_them(tmp_path, authority, year, header, episodes):
    status, out, lines = import_files(tmp_path, header, episodes, "--year", year)
    assert (status, lines) == (0, [])
    assert f"{len(header)} created" in out and out.rstrip().endswith(f"collection year {year}")


def test_birthdays_and_the_years_ages():
    assert birthday(datetime.date(2008, 2, 29), 16) == datetime.date(2024, 2, 29)
    assert birthday(datetime.date(2008, 2, 29), 15) == datetime.date(2023, 2, 28)
    assert collection_end("2024-25") == datetime.date(2025, 3, 31)
    assert rule_for("2022-23", Check.PLACE_AGE, "P2").age == 15
    assert rule_for("2023-24", Check.PLACE_AGE, "P2").age == 16
    assert rule_for("2024-25", Check.PLACE_AGE, "P2") is None
    assert rule_for("2024-25", Check.PLACE_AGE, "R5").code == "372"
    assert rule_for("2024-25", Check.LS_AGE, "C2") is None


def test_an_unknown_year_is_refused(tmp_path, authority):
    status, _, lines = import_files(tmp_path, [child()], [episode()], "--year", "2019-20")
    assert status != 0 and "invalid choice: '2019-20'" in "\n".join(lines)
    assert Child.objects.count() == 0


@pytest.mark.parametrize(
    ("day", "year", "rules"),
    [
        (datetime.date(2025, 3, 31), "2024-25", "2024-25"),
        (datetime.date(2025, 4, 1), "2025-26", "2025-26"),
        (datetime.date(2019, 7, 1), "2019-20", "2022-23"),
        (datetime.date(2031, 7, 1), "2031-32", "2026-27"),
    ],
)
def test_collection_year_and_the_nearest_kept(day, year, rules):
    assert collection_year(day) == year
    assert ruleset_year(day) == rules


def test_rules_are_kept_by_year():
    assert list(RULESETS) == ["2022-23", "2023-24", "2024-25", "2025-26", "2026-27"]
    assert rule_for("2023-24", Check.SEX, "3").message == "Gender code is not valid."
    assert rule_for("2024-25", Check.SEX, "3").message == "The child or young person’s reported sex is not valid."
    assert rule_for("2025-26", Check.PLACE, "H5").code == "146"
    assert rule_for("2024-25", Check.PLACE, "H5") is None
    assert rule_for("2024-25", Check.UPN_TWICE) is None
    for rules in RULESETS.values():
        for code, rule in rules.items():
            assert code == rule.code and rule.message and len(rule.message) < 200


def test_the_docs_list_every_rule():
    text = DOCS.read_text()
    for code, message, years, check in table():
        assert f"| {code} | {message} | {', '.join(years)} | {check} |" in text
