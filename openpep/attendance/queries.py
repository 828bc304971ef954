"""Reading a child's attendance figures. Other apps (the child's page through this app's template
tag, Section D's form, the dashboards) read them here; this app imports none of them."""

import datetime

from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from .enums import academic_year
from .models import AttendanceYear


def this_year(child_id: int, today: datetime.date | None = None) -> AttendanceYear | None:
    """The child's figures for the academic year holding ``today`` (one query), or None when the
    school's data has nothing for it: then only what a person typed is known."""
    year = academic_year(today or timezone.localdate())
    return AttendanceYear.objects.filter(child_id=child_id, year=year).first()


def this_year_of_outer_child(today: datetime.date | None = None, *, child: str = "pk") -> QuerySet:
    """The figures of the child ``OuterRef(child)`` for the academic year holding ``today``, for a
    ``Subquery``: a list annotates each child with them in the same query."""
    year = academic_year(today or timezone.localdate())
    return AttendanceYear.objects.filter(child=OuterRef(child), year=year)
