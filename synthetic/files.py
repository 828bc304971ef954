"""Synthetic files in the real formats, for tests and for timing the imports. No real child is in them."""

import csv
import datetime
import random

from stdnum.gb import upn as upn_checker

GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Postcode",
]
HEADER_903 = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES_903 = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
ENROLMENTS = ["CHILD", "URN", "START DATE", "END DATE"]
PHASES = [
    ("Primary", "Community school"),
    ("Secondary", "Academy converter"),
    ("Not applicable", "Community special school"),
    ("Nursery", "LA nursery school"),
    ("All-through", "Free schools"),
    ("16 plus", "Further education"),
    ("Not applicable", "Pupil referral unit"),
    ("Middle deemed secondary", "Voluntary aided school"),
]


def write_csv(path, header, rows, *, encoding="utf-8", bom=False, newline="\r\n") -> None:
    """Write rows as the councils' systems do: CRLF line endings by default."""
    with open(path, "w", encoding="utf-8-sig" if bom else encoding, newline="") as out:
        writer = csv.writer(out, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)


def upn(n: int, la_code: str = "201") -> str:
    """A valid permanent UPN, different for each n."""
    body = f"{la_code}{n // 1000 % 10000:04d}{n // 10_000_000 % 100:02d}{n % 1000:03d}"
    return upn_checker.calc_check_digit(body) + body


def gias_rows(count: int, *, first_urn: int = 100000):
    for i in range(count):
        phase, kind = PHASES[i % len(PHASES)]
        la = 201 + i % 150
        yield [
            f"{first_urn + i}",
            f"{la}",
            f"Borough {la}",
            f"{i % 7000 + 1000}",
            f"St Mary’s School {i}",
            kind,
            "Open",
            phase,
            "4",
            "11",
            "AB1 2CD",
        ]


def write_gias(path, count: int, *, first_urn: int = 100000, encoding="cp1252") -> None:
    """A GIAS establishments file as GIAS gives it (Windows-1252, CRLF)."""
    write_csv(path, GIAS_HEADER, gias_rows(count, first_urn=first_urn), encoding=encoding)


def ssda903_rows(count: int, *, seed: int = 0, la_code: str = "201"):
    """Header and Episodes rows for ``count`` children with one to four episodes each, the last open."""
    rng = random.Random(seed)
    header, episodes = [], []
    legal, places = ["C1", "C2", "V2", "E1"], ["U1", "U4", "U6", "K2", "R1", "P1"]
    for i in range(count):
        child = f"C{i:06d}"
        dob = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        header.append([child, rng.choice("12"), f"{dob:%d/%m/%Y}", "WBRI", upn(i, la_code), "", ""])
        start = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(1000))
        n = rng.randint(1, 4)
        for k in range(n):
            end = start + datetime.timedelta(days=rng.randint(30, 200)) if k < n - 1 else None
            episodes.append(
                [
                    child,
                    f"{start:%d/%m/%Y}",
                    "S" if k == 0 else "P",
                    rng.choice(legal),
                    "N1",
                    rng.choice(places),
                    "PR1",
                    f"{end:%d/%m/%Y}" if end else "",
                    "E3" if end else "",
                    "CARPL" if k else "",
                    "AB1",
                    "CD2",
                    "SC123456",
                ]
            )
            start = end
    return header, episodes


def write_903(header_path, episodes_path, count: int, *, seed: int = 0, la_code: str = "201", **options) -> None:
    header, episodes = ssda903_rows(count, seed=seed, la_code=la_code)
    write_csv(header_path, HEADER_903, header, **options)
    write_csv(episodes_path, EPISODES_903, episodes, **options)
