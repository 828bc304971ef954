"""Who signs in with an account other than an OpenPEP password. An app above ``people`` that offers
another sign-in (``openpep.sso``: a council's own accounts) registers, in its ``AppConfig.ready``, a
function naming the account an e-mail address signs in with ("your Northmere council account"), or
``None``; ``people`` asks here (the welcome e-mail), since it may not import that app."""

from collections.abc import Callable

AccountFinder = Callable[[str], str | None]
_finders: list[AccountFinder] = []


def register(finder: AccountFinder) -> None:
    """Add `finder`, once however often ``ready`` runs."""
    if finder not in _finders:
        _finders.append(finder)


def account_for(email: str) -> str | None:
    """The name of the account `email` signs in with instead of a password, or ``None`` (a password)."""
    return next((name for finder in _finders if (name := finder(email))), None)
