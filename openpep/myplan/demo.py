"""The demo's My plan: Lily Carr's signed-off PEP (her social worker is ``sw``), shared with her, with
an open code fixed so that the README can give it (``DEMO_CODE``)."""

from openpep.plans.models import Pep
from openpep.voice.enums import Audience

from . import rules, services

#: The demo's open My plan code (README.md): ``sw`` sees the share as open on the PEP's My plan page.
DEMO_CODE = "PATH-3796"
CHILD = "lily"  # as the demo keys its PEPs: the first name in lower case


def build(demo) -> Pep:
    """Share the newest PEP of ``CHILD`` (signed off) with her."""
    pep = Pep.objects.select_related("child__social_worker").get(pk=demo.peps[CHILD][-1].pk)
    sw = pep.child.social_worker
    assert rules.can_share(sw, pep) and pep.targets.exists(), "The demo's My plan needs a signed-off PEP with targets"
    services.share(sw, pep, audience=Audience.CHILD, code=DEMO_CODE)
    return pep
