"""The national attendance and absence codes (the DfE's 2024 set, from August 2024), each with
how it counts. The one table of codes: the import, the figures and the demo read it."""

import datetime

from django.db import models


class Counts(models.TextChoices):
    """How a session with a code counts towards attendance."""

    PRESENT = "present", "present"
    APPROVED = "approved", "attending an approved educational activity"
    AUTHORISED = "authorised", "authorised absence"
    UNAUTHORISED = "unauthorised", "unauthorised absence"
    NOT_COUNTED = "not_counted", "not a possible session"


class Code(models.TextChoices):
    """The code set as docs/DOMAIN.md gives it. The label is the code's meaning."""

    PRESENT_AM = "/", "Present (morning)"
    PRESENT_PM = "\\", "Present (afternoon)"
    LATE = "L", "Late, arriving before the register closed"
    OTHER_ACTIVITY = "B", "Attending any other approved educational activity"
    DUAL_REGISTERED = "D", "Dual registered: attending the other school"
    INTERVIEW_ACTIVITY = "J", "Attending an interview"
    LA_PROVISION = "K", "Attending education provision arranged by the local authority"
    SPORT = "P", "Participating in a supervised sporting activity"
    VISIT = "V", "Attending an educational visit or trip"
    WORK_EXPERIENCE = "W", "Attending work experience"
    EXCEPTIONAL = "C", "Leave of absence for exceptional circumstances"
    PERFORMANCE = "C1", "Leave of absence to take part in a regulated performance or employment abroad"
    PART_TIME = "C2", "Leave of absence for a compulsory school age pupil subject to a part-time timetable"
    SUSPENDED = "E", "Suspended or permanently excluded, no alternative provision made"
    ILLNESS = "I", "Illness (not medical or dental appointment)"
    MEDICAL = "M", "Medical or dental appointment"
    INTERVIEW = "J1", "Leave of absence to attend an interview"
    STUDY_LEAVE = "S", "Leave of absence for study leave"
    TRAVELLER = "T", "Parent travelling for occupational purposes"
    HOLIDAY = "G", "Holiday not granted by the school"
    LATE_AFTER_CLOSE = "U", "Arrived in school after registration closed"
    NO_REASON = "O", "Absent in other or unknown circumstances"
    NOT_AUTHORISED = "N", "Reason for absence not yet established"
    NOT_REQUIRED = "X", "Not required to be in school (non-compulsory school age)"
    NO_TRANSPORT = "Y1", "Unable to attend: transport not available"
    DISRUPTION = "Y2", "Unable to attend: widespread disruption to travel"
    PART_CLOSED = "Y3", "Unable to attend: part of the school premises closed"
    CLOSED = "Y4", "Unable to attend: whole school site unexpectedly closed"
    NOT_ON_ROLL = "Z", "Prospective pupil not on admission register"
    PLANNED_CLOSURE = "#", "Planned whole or partial school closure"


#: How each code counts. Dual registration (D) is the other school's session to count, not this one's.
COUNTS: dict[str, Counts] = {
    **dict.fromkeys(["/", "\\", "L"], Counts.PRESENT),
    **dict.fromkeys(["B", "J", "K", "P", "V", "W"], Counts.APPROVED),
    **dict.fromkeys(["C", "C1", "C2", "E", "I", "M", "J1", "S", "T"], Counts.AUTHORISED),
    **dict.fromkeys(["G", "N", "O", "U"], Counts.UNAUTHORISED),
    **dict.fromkeys(["D", "X", "Y1", "Y2", "Y3", "Y4", "Z", "#"], Counts.NOT_COUNTED),
}
ATTENDED = {Counts.PRESENT, Counts.APPROVED}
POSSIBLE = {Counts.PRESENT, Counts.APPROVED, Counts.AUTHORISED, Counts.UNAUTHORISED}
#: The code of a session lost to suspension or exclusion.
SUSPENSION = Code.SUSPENDED.value


class Session(models.TextChoices):
    AM = "AM", "morning"
    PM = "PM", "afternoon"


#: The academic year starts on 1 September.
YEAR_STARTS = (9, 1)


def academic_year(day: datetime.date) -> int:
    """The calendar year in which the academic year holding ``day`` began."""
    return day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of academic year ``year`` (1 September to 31 August)."""
    return datetime.date(year, *YEAR_STARTS), datetime.date(year + 1, *YEAR_STARTS) - datetime.timedelta(days=1)
