"""The private file store of documents (settings.STORAGES["documents"]), with checksums."""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from .models import sha256_of

log = logging.getLogger("openpep.documents")


class CopyTampered(Exception):
    """A stored file is missing or no longer matches the checksum taken when it was stored."""


def documents_storage():
    return storages["documents"]


def save(name: str, content: bytes) -> str:
    """Store ``content`` under ``name`` (or a free name near it) and return the name used."""
    return documents_storage().save(name, ContentFile(content))


def discard(name: str) -> None:
    documents_storage().delete(name)


def read_verified(name: str, sha256: str, *, what: str) -> bytes:
    """The stored file's bytes, after checking them against ``sha256``.

    A mismatch is logged as an error and raised: a changed copy is never served."""
    try:
        with documents_storage().open(name, "rb") as file:
            content = file.read()
    except FileNotFoundError:
        log.error("Stored file missing: %s (%s)", what, name)
        raise CopyTampered(f"The stored file of {what} is missing") from None
    actual = sha256_of(content)
    if actual != sha256:
        log.error("Checksum mismatch: %s (%s): expected %s, found %s", what, name, sha256, actual)
        raise CopyTampered(
            f"The stored file of {what} does not match the checksum taken when it was stored, "
            "so it has not been served. Tell your system administrator."
        )
    return content
