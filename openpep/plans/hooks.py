"""What apps above ``plans`` lend the PEP's pages, so that ``plans`` never imports them: each
registers its part in its ``AppConfig.ready`` (as ``workflow.add_readiness_check``).

- ``MEETING_CARD``: ``(user, pep) -> dict``, the PEP page's meeting card (``meetings``).
- ``DRAFTS``: what keeps a section form's drafts — ``draft_for(user, path)``,
  ``as_form_data(draft)``, ``discard(user, path, because=)`` (``drafts``)."""

MEETING_CARD = "meeting card"
DRAFTS = "drafts"

_lent: dict[str, object] = {}


def lend(name: str, part: object) -> None:
    """Register ``part`` as ``name`` (a second ``ready()`` replaces it with the same)."""
    _lent[name] = part


def lent(name: str):
    """The part registered as ``name``; a LookupError names the app missing from INSTALLED_APPS."""
    try:
        return _lent[name]
    except KeyError:
        raise LookupError(f"No app lends plans its {name}: is it in INSTALLED_APPS?") from None
