"""The SSRF guard: which network addresses detente may connect to when it fetches a URL.

A URL given to detente (on the command line, in a feed, in an API request) must not make
it talk to the machine it runs on or to the network behind it: cloud metadata services
(169.254.169.254), admin consoles on 127.0.0.1, databases on 10.x. So a host is resolved
first, every address it resolves to is classified, and the fetch is refused when any of
them is not a public unicast address - before any connection is made.

IPv6 forms that carry an IPv4 address inside (IPv4-mapped ``::ffff:a.b.c.d``, 6to4
``2002::/16``, NAT64 ``64:ff9b::/96``) are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Sequence
from typing import Protocol

from ..errors import FetchError, UnsafeURL

__all__ = ["IPAddress", "Resolver", "address_risk", "check_addresses", "resolve_host"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Resolver(Protocol):
    """Turns a host name into the addresses to connect to (an I/O edge: tests pass their own)."""

    def __call__(self, host: str, port: int, *, timeout: float) -> list[str]: ...


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _risk_of(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            inner_risk = _risk_of(inner)
            return f"{inner_risk} (IPv4 {inner} inside IPv6)" if inner_risk else None
    # The order picks the most telling name: 127.0.0.1 is loopback before it is private.
    for name, flagged in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        # shared address space (100.64.0.0/10), Teredo and the like: not public either
        ("non-public", not ip.is_global),
    ):
        if flagged:
            return name
    return None


def address_risk(address: str | IPAddress) -> str | None:
    """Why connecting to ``address`` is unsafe (``"loopback"``, ``"private"``, ...), or None if public.

    Anything that does not parse as an IP address is unsafe: the guard never guesses.
    """
    if not isinstance(address, str):
        return _risk_of(address)
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    except ValueError:
        return "unparseable"
    return _risk_of(ip)


def check_addresses(url: str, host: str, addresses: Sequence[str]) -> None:
    """Raise ``UnsafeURL`` unless every address ``host`` resolved to is public."""
    if not addresses:
        raise FetchError(f"cannot resolve {host}: no addresses", "check the host name in the URL")
    for address in addresses:
        risk = address_risk(address)
        if risk is not None:
            shown = host if host == address else f"{host} resolves to {address}, which"
            raise UnsafeURL(f"refused to fetch {url}: {shown} is a {risk} address")


def resolve_host(host: str, port: int, *, timeout: float) -> list[str]:
    """Every address ``host`` resolves to (TCP), in the resolver's order, without duplicates.

    ``getaddrinfo`` has no timeout of its own, so it runs in a daemon thread that is
    abandoned (not killed) when ``timeout`` passes; the fetch then fails at once.
    IP literals, including odd forms such as ``2130706433``, come back as the address they
    denote, so the guard judges what would actually be dialled.
    """
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    outcome: list[list[str] | BaseException] = []

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            outcome.append(list(dict.fromkeys(str(info[4][0]) for info in infos)))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise FetchError(f"resolving {host} took longer than {timeout:g} s", "check your DNS or try again later")
    result = outcome[0]
    if isinstance(result, socket.gaierror):
        raise FetchError(f"cannot resolve {host}: {result.strerror}",
                         "check the host name in the URL and your network")
    if isinstance(result, BaseException):
        raise FetchError(f"cannot resolve {host}: {result}", "check the host name in the URL and your network")
    return result
