"""QA rounds and settings for the quality tests, made through the services."""

from openpep.quality import services
from openpep.quality.enums import Rag
from openpep.quality.models import Criterion, QualitySettings
from tests.builders import fresh


def rate(pep, actor, *, red=(), amber=(), gold=False, feedback="") -> object:
    """A QA round rating every criterion green (gold, if asked), except the titles in ``red`` and ``amber``."""
    criteria = Criterion.active_for(pep.child.local_authority)
    answers = []
    for criterion in criteria:
        if criterion.title in red:
            answers.append(services.Answer(criterion, Rag.RED, f"Fix ‘{criterion.title}’"))
        elif criterion.title in amber:
            answers.append(services.Answer(criterion, Rag.AMBER, f"Improve ‘{criterion.title}’"))
        else:
            answers.append(services.Answer(criterion, Rag.GOLD if gold else Rag.GREEN))
    return services.record_review(actor, fresh(pep), answers, feedback=feedback)


def configure(world, **fields) -> QualitySettings:
    quality = QualitySettings.for_authority_id(world.authority.pk)
    for name, value in fields.items():
        setattr(quality, name, value)
    return services.save_settings(world.vs_admin, quality)
