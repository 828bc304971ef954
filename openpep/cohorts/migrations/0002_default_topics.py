"""The councils already there start with the default topics of advice, as new ones do (``receivers``)."""

from django.db import migrations

DEFAULT_TOPICS = (
    "Attendance",
    "Admissions and school places",
    "Suspensions and exclusions",
    "Special educational needs and disabilities",
    "Pupil premium plus",
    "Transition to a new school or phase",
    "Attainment and progress",
    "Emotional wellbeing and mental health",
    "Other",
)


def add_default_topics(apps, schema_editor):
    LocalAuthority = apps.get_model("people", "LocalAuthority")
    CaseworkTopic = apps.get_model("cohorts", "CaseworkTopic")
    for authority in LocalAuthority.objects.all():
        if not CaseworkTopic.objects.filter(local_authority=authority).exists():
            CaseworkTopic.objects.bulk_create(CaseworkTopic(local_authority=authority, name=name) for name in DEFAULT_TOPICS)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0001_initial")]
    operations = [migrations.RunPython(add_default_topics, migrations.RunPython.noop)]
