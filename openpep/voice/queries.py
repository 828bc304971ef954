"""Reading the child's contributions and invitations."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from openpep.children.models import Child
from openpep.plans.enums import Phase

from .enums import Purpose, Variant
from .models import CodeAttempt, Contribution, Invitation, VoiceSettings


def suggested_variant(pep, today: datetime.date | None = None) -> Variant:
    """The pages for the child's age: by the PEP's phase, and at school age by the child's year group
    this academic year (Year 7 and above: secondary)."""
    if pep.phase == Phase.EARLY_YEARS:
        return Variant.EARLY_YEARS
    if pep.phase == Phase.POST_16:
        return Variant.POST_16
    today = today or timezone.localdate()
    year_started = today.year if today.month >= 9 else today.year - 1
    born = pep.child.date_of_birth
    age_on_31_august = year_started - born.year - ((8, 31) < (born.month, born.day))
    return Variant.SECONDARY if age_on_31_august >= 11 else Variant.PRIMARY


def invitations_of(pep, purpose: Purpose = Purpose.HAVE_YOUR_SAY) -> QuerySet[Invitation]:
    return Invitation.objects.filter(pep=pep, purpose=purpose).select_related("made_by", "withdrawn_by")


def invitation_days(authority_id: int) -> int:
    """How many days a council's codes work: its own setting (``VoiceSettings``), else
    ``VOICE_INVITATION_DAYS``. One query."""
    return VoiceSettings.for_authority_id(authority_id).invitation_days


def sent_contributions(pep) -> list[Contribution]:
    """What the child has sent for this PEP, newest first (with who took it in)."""
    return list(Contribution.objects.filter(pep=pep, submitted_at__isnull=False).select_related("child", "taken_by"))


def failures_since(minutes: int, ip_address: str | None = None) -> int:
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    found = CodeAttempt.objects.filter(at__gte=since)
    if ip_address is not None:
        found = found.filter(ip_address=ip_address or None)
    return found.count()


def too_many_guesses(ip_address: str) -> bool:
    """The limits on wrong codes: per address, and over every address at once (a guesser with many
    addresses), both within ``VOICE_CODE_MINUTES``."""
    minutes = settings.VOICE_CODE_MINUTES
    return (
        failures_since(minutes, ip_address) >= settings.VOICE_CODE_FAILURES
        or failures_since(minutes) >= settings.VOICE_CODE_FAILURES_ALL
    )


def with_contribution(children: QuerySet[Child]) -> QuerySet[Child]:
    """Each child annotated ``has_contribution``: a contribution of their own, sent and taken into a PEP."""
    taken = Contribution.objects.filter(child=OuterRef("pk"), taken_at__isnull=False)
    return children.annotate(has_contribution=Exists(taken))


def own_words_of(pep) -> list[dict]:
    """What the child sent and the adult took into Section B, as the PDF and the API show it: the
    answers taken, word for word, marked as the child's (``pep.child_contributions`` may be prefetched)."""
    found = []
    for contribution in pep.child_contributions.all():
        if contribution.taken_at is None:
            continue
        found.append(
            {
                "title": f"In {pep.child.first_name}'s own words",
                "sent": contribution.submitted_at,
                "answers": [
                    {
                        "question": str(Contribution._meta.get_field(name).verbose_name),
                        "name": name,
                        "words": getattr(contribution, name),
                    }
                    for name in contribution.taken
                ],
            }
        )
    return found
