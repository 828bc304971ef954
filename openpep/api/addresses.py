"""Where a webhook may send: systems on the internet, never inside the network OpenPEP runs in.

A webhook's address is typed by a council's administrator, and OpenPEP then POSTs to it from
inside its own network: pointed at loopback, a private range or the cloud's metadata service
(169.254.169.254), it would make OpenPEP a way in. So every address a name resolves to must be a
global one — checked when the webhook is saved and again at each delivery — and the delivery
connects to the very address that was checked (no second look-up a DNS rebinding could answer
differently). Redirects are not followed: a 3xx is a failed attempt, logged like any other.

``settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS`` names hosts (as written in the address, e.g.
``hooks.council.internal`` or ``10.1.2.3``) that a deployment lets through to an inside address.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges that carry an IPv4 address in their last 32 bits: the IPv4-compatible ::/96 and
# NAT64's 64:ff9b::/96 and 64:ff9b:1::/48. Python calls some of them global.
_CARRIES_IPV4 = [
    ipaddress.ip_network("::/96"),
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
]


class RefusedAddress(ValueError):
    """The address may not be sent to; the message says why, for the person who typed it."""


class NotFound(RefusedAddress):
    """The host's name could not be resolved."""


def is_internal(address: Address) -> bool:
    """Whether the address is anything but a unicast address on the public internet, looking inside
    the IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo)."""
    if (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        carried = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        carried += [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) for net in _CARRIES_IPV4 if address in net]
        return any(v4 is not None and is_internal(v4) for v4 in carried)
    return False


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    addresses: tuple[str, ...]  # what the host resolved to, checked, in the resolver's order


def _host_allowed_inside(host: str) -> bool:
    allowed = {name.strip().lower().rstrip(".") for name in settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS}
    return host.lower().rstrip(".") in allowed


def resolve(url: str) -> Target:
    """Resolve the address's host and check every address it resolves to.

    Raises ``RefusedAddress`` for an address that is not http(s), has no host, cannot be found, or
    resolves (even in part) to an inside address, unless its host is allowed inside."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedAddress("Enter a web address, like https://example.org/openpep") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress("Enter a web address, like https://example.org/openpep")
    host = parts.hostname
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise NotFound(f"{host} could not be found") from None
    # A link-local IPv6 address may come with its interface ("fe80::1%eth0").
    addresses = tuple(dict.fromkeys(info[4][0] for info in found))
    if not _host_allowed_inside(host):
        for text in addresses:
            if is_internal(ipaddress.ip_address(text.split("%", 1)[0])):
                raise RefusedAddress(
                    f"{host} is an address inside a private network ({text}): events are only sent to "
                    "systems on the internet"
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses)


def check(url: str) -> None:
    """For the form and the service that save a webhook: refuse an address inside the network.
    A name that cannot be found today is let through (it may be set up later); each delivery
    checks again."""
    try:
        resolve(url)
    except NotFound:
        pass


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    """A connection to the host as named (the Host header, and for HTTPS the certificate and SNI)
    made to the addresses already checked, never looked up again."""

    def connect(_address, timeout, source_address=None):
        failure: OSError | None = None
        for address in target.addresses:
            try:
                return socket.create_connection((address, target.port), timeout, source_address)
            except OSError as error:
                failure = error
        raise failure or OSError(f"{target.host} has no address")

    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    # http.client's hook for making the socket (its connect() calls it, then wraps it in TLS for the
    # host as named): the one place to pin the address without copying its connect().
    conn._create_connection = connect
    return conn


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST ``body`` to ``url`` once; the receiver's status code (a redirect is not followed).

    Raises ``RefusedAddress`` before sending anything to an inside address, ``OSError`` when the
    receiver cannot be reached."""
    target = resolve(url)
    conn = _connection(target, timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(64 * 1024)  # what a receiver answers is not kept; read a little, politely
        return response.status
    finally:
        conn.close()
