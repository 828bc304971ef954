"""Every authority that has no rubric yet gets the default one, as a new authority now does when
it is created (``quality.receivers``), so the rubric and QA pages only read. Not audited, as
``services.add_default_criteria`` does not audit them: they are the authority's starting state."""

from django.db import migrations

# DEFAULT_CRITERIA as it stood when this migration was written (a migration never changes).
DEFAULT_CRITERIA = [
    (
        "The child's voice shapes the plan",
        "The child's views are recorded in their own words (or how they were gathered is said) and the "
        "targets and actions answer them.",
    ),
    (
        "Previous targets evaluated",
        "Every previous target is rated with evidence, and a partly met one is carried forward or explained.",
    ),
    ("Needs identified", "Learning, SEND, attendance and wellbeing needs are identified, with what is behind them."),
    (
        "Targets are SMART",
        "Specific, measurable, achievable, relevant and time-bound; in the child's words, with an owner and a date.",
    ),
    ("Transitions planned", "Any change of school, key stage or placement is planned for, with who does what."),
    ("Interventions are clear", "Each intervention says what, when, where, who and how often."),
    ("PP+ costed and linked to targets", "Each Pupil Premium Plus request has a cost and the target it pays for."),
    ("Carer input", "The carer's views are recorded and the carer has actions of their own."),
    (
        "Attendees and next meeting recorded",
        "Who attended (and who sent apologies) is recorded, and the next PEP meeting is booked.",
    ),
]


def forwards(apps, schema_editor):
    LocalAuthority = apps.get_model("people", "LocalAuthority")
    Criterion = apps.get_model("quality", "Criterion")
    for authority in LocalAuthority.objects.exclude(qa_criteria__isnull=False).order_by("pk"):
        for position, (title, description) in enumerate(DEFAULT_CRITERIA, start=1):
            Criterion.objects.create(local_authority=authority, title=title, description=description, position=position)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
        ("people", "0004_user_session_epoch"),
    ]

    # Going back leaves the criteria: they may have been rated since.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
