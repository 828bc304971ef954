"""Where a page may send a person back to after a form: an address of this site, never another.

A "next" address arrives from outside (a query string, a hidden field), so it is someone's choice
of where a signed-in person lands. Only a path of this site is followed: ``/…`` on this host (not
``//elsewhere``, not ``https://elsewhere``, not ``javascript:``), over HTTPS when the request was.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def same_site_path(request, value: str | None, default: str) -> str:
    """`value` when it is a path of this site, else `default`."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default
