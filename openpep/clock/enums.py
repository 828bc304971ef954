from django.db import models


class TermName(models.TextChoices):
    """The three terms of an English school year, in calendar order. Half-terms
    are not terms of their own: they are holidays inside a term."""

    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


#: What the break after each term is called, for messages ("… is in the Christmas holiday").
BREAK_AFTER = {
    TermName.AUTUMN: "Christmas holiday",
    TermName.SPRING: "Easter holiday",
    TermName.SUMMER: "summer holiday",
}


class EntryType(models.TextChoices):
    """The ``type`` column of a calendar import."""

    TERM = "term", "Term"
    HOLIDAY = "holiday", "Holiday"
