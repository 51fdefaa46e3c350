"""Fetching pages over HTTP(S), safely: the ``Fetcher`` protocol, ``SafeFetcher`` and a twin for tests.

``SafeFetcher`` is httpx with every door a hostile URL could use closed:

- only ``http`` and ``https``, at every hop;
- the host is resolved once and every address is checked by the SSRF guard
  (``netguard``) before any connection is made; unless ``allow_private``, loopback,
  private, link-local, multicast, reserved and unspecified addresses are refused;
- the connection goes to the very address that was checked: the request is sent to that
  IP with the original ``Host`` header and TLS server name, so a DNS server that answers
  differently the second time (DNS rebinding) cannot redirect it. Keep-alive is off, so
  a connection is never reused for another host; proxies from the environment are
  ignored, since a proxy would resolve the name itself;
- redirects are followed by hand, at most ``max_redirects``, each target checked again;
- a connect timeout, and one deadline for the whole fetch (redirects and a slowly dripping
  body included);
- the body is streamed and refused as ``too_large`` as soon as it passes ``max_bytes``
  (after decompression, so a small gzip bomb is caught too); a ``Content-Length`` over
  the limit is refused before reading. Content codings are decoded here, 64 kB at a time
  through each layer (``decoding``), so stacked codings (``gzip, gzip``) cannot expand
  past the limit before they are counted.

Residual risk, documented rather than hidden: the resolver itself is trusted (a lookup
leaks the host name to the DNS server).
"""

from __future__ import annotations

import codecs
import ipaddress
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from types import MappingProxyType, TracebackType
from typing import Protocol

import httpx

from .._version import __version__
from ..errors import DetenteError, DocumentRejected, FetchError, Reason, UnsafeURL
from ..settings import get_setting
from ._shared import human_size
from .decoding import decoded_pieces
from .netguard import Resolver, check_addresses, resolve_host

__all__ = ["USER_AGENT", "FetchedPage", "Fetcher", "InMemoryFetcher", "SafeFetcher", "utc_now_iso"]

USER_AGENT = f"detente/{__version__}"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SCHEMES = ("http", "https")
_TOO_LARGE_HINT = "save a smaller page, or raise the max_bytes setting (DETENTE_MAX_BYTES)"


def utc_now_iso() -> str:
    """Now, in UTC, as ISO 8601 to the second: ``2024-05-01T09:30:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FetchedPage:
    """One fetched response: the URL asked for, where it ended after redirects, and the body."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (``"text/html"``), or ``""``."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of ``Content-Type`` when it names a codec Python knows."""
        message = Message()
        message["content-type"] = self.headers.get("content-type", "")
        value = message.get_param("charset")
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            return codecs.lookup(value.strip()).name
        except LookupError:
            return None


class Fetcher(Protocol):
    """Anything that can fetch a URL; raises ``UnsafeURL``, ``FetchError`` or ``DocumentRejected``."""

    def fetch(self, url: str) -> FetchedPage: ...


@dataclass(frozen=True)
class _Hop:
    """One URL after the guard: where to connect, and what to call the host on the wire."""

    url: httpx.URL
    host: str  # ASCII (IDNA) host name, no brackets
    addresses: tuple[str, ...]
    is_ip_literal: bool


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class SafeFetcher:
    """The real ``Fetcher``: httpx behind the SSRF guard (see the module docstring).

    Settings come from the keywords, else the environment, else the defaults in
    ``detente.settings``. ``resolver``, ``transport`` and ``clock`` are the I/O edges a test
    may replace. Use as a context manager, or call ``close()``.
    """

    def __init__(self, *, allow_private: bool | None = None, max_bytes: int | None = None,
                 connect_timeout: float | None = None, fetch_timeout: float | None = None,
                 max_redirects: int | None = None, resolver: Resolver | None = None,
                 transport: httpx.BaseTransport | None = None, clock: Callable[[], str] = utc_now_iso) -> None:
        self.allow_private = bool(get_setting("allow_private", allow_private))
        self.max_bytes = int(get_setting("max_bytes", max_bytes))
        self.connect_timeout = float(get_setting("connect_timeout", connect_timeout))
        self.fetch_timeout = float(get_setting("fetch_timeout", fetch_timeout))
        self.max_redirects = int(get_setting("max_redirects", max_redirects))
        self._resolve: Resolver = resolver or resolve_host
        self._clock = clock
        self._client = httpx.Client(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5",
                     "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchedPage:
        """Fetch ``url``, following up to ``max_redirects`` redirects, each one checked again.

        A response with an error status is returned, not raised (``FetchedPage.ok``); the
        caller decides what a 404 means. ``headers`` are added to every hop's request (a feed
        poller's ``If-None-Match`` / ``If-Modified-Since``, whose ``304`` comes back as a page
        with status 304 and no body); they cannot replace ``Host``.
        """
        try:
            return self._fetch(url, headers)
        except DetenteError:
            raise
        except Exception as exc:  # whatever a hostile server makes httpx raise is this URL's failure
            raise FetchError(f"fetching {url} failed: {type(exc).__name__}: {_first_line(exc)}") from exc

    def _fetch(self, url: str, headers: Mapping[str, str] | None) -> FetchedPage:
        deadline = time.monotonic() + self.fetch_timeout
        current = url
        for hop_number in range(self.max_redirects + 1):
            hop = self._check(current, deadline)
            with self._send(hop, current, deadline, headers) as response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    if hop_number == self.max_redirects:
                        raise FetchError(f"{url} redirects more than {self.max_redirects} times",
                                         "open the URL in a browser and pass the final address")
                    current = _redirect_target(current, location)
                    continue
                content = self._read_body(response, current, deadline)
                answer = {key.lower(): value for key, value in response.headers.items()}
                return FetchedPage(url=url, final_url=current, status=response.status_code,
                                   headers=MappingProxyType(answer), content=content, fetched_at=self._clock())
        raise AssertionError("unreachable: the last hop returns or raises")  # pragma: no cover

    def _check(self, url: str, deadline: float) -> _Hop:
        """Parse ``url``, resolve its host and apply the guard; nothing has been sent yet."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise UnsafeURL(f"refused to fetch {url!r}: not a valid URL ({exc})", "check the URL") from None
        if parsed.scheme not in _SCHEMES:
            raise UnsafeURL(f"refused to fetch {url}: only http and https URLs are fetched",
                            "save the page and pass the file instead")
        host = parsed.raw_host.decode("ascii").rstrip(".") if parsed.raw_host else ""
        if not host:
            raise UnsafeURL(f"refused to fetch {url}: the URL has no host", "check the URL")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = tuple(self._resolve(host, port, timeout=self._remaining(deadline, url)))
        if not self.allow_private:
            check_addresses(url, host, addresses)
        elif not addresses:
            raise FetchError(f"cannot resolve {host}: no addresses", "check the host name in the URL")
        return _Hop(url=parsed, host=host, addresses=addresses, is_ip_literal=_is_ip_literal(host))

    def _remaining(self, deadline: float, url: str) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"fetching {url} took longer than {self.fetch_timeout:g} s",
                             "try again later, or raise the fetch_timeout setting")
        return left

    @contextmanager
    def _send(self, hop: _Hop, url: str, deadline: float,
              extra_headers: Mapping[str, str] | None = None) -> Iterator[httpx.Response]:
        """Send the GET to the checked addresses in turn (the next one only if connecting fails)."""
        # Host last: it names the checked host and must not be overridden by a caller's header.
        request_headers = {**{k: v for k, v in (extra_headers or {}).items() if k.lower() != "host"},
                           "Host": hop.url.netloc.decode("ascii")}
        failure: Exception | None = None
        for address in hop.addresses:
            left = self._remaining(deadline, url)
            timeout = httpx.Timeout(left, connect=min(self.connect_timeout, left))
            extensions = {} if hop.is_ip_literal else {"sni_hostname": hop.host}
            request = self._client.build_request("GET", hop.url.copy_with(host=address.split("%", 1)[0]),
                                                 headers=request_headers, timeout=timeout,
                                                 extensions=extensions)
            try:
                response = self._client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = exc
                continue
            except httpx.TimeoutException:
                raise self._timed_out(url) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"fetching {url} failed: {exc}") from None
            except (httpx.InvalidURL, ValueError) as exc:
                # httpx reads a redirect's Location while receiving the answer: a host that is not
                # valid IDNA (``http://xn--/``) fails there, before the answer reaches us
                raise FetchError(f"the answer of {hop.host} to {url} cannot be read: {type(exc).__name__}: "
                                 f"{_first_line(exc)}", "the server sent a malformed header (often a redirect); "
                                 "open the URL in a browser, or save the page and pass the file") from None
            try:
                yield response
            finally:
                response.close()
            return
        if isinstance(failure, httpx.ConnectTimeout):
            raise FetchError(f"could not connect to {hop.host} within {self.connect_timeout:g} s",
                             "check the URL and your network, or raise the connect_timeout setting")
        reason = str(failure) or type(failure).__name__
        raise FetchError(f"could not connect to {hop.host} ({reason})",
                         "check the URL and that the server is up, or save the page and pass the file")

    def _timed_out(self, url: str) -> FetchError:
        return FetchError(f"fetching {url} timed out (limit {self.fetch_timeout:g} s)",
                          "try again later, or raise the fetch_timeout setting")

    def _read_body(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise DocumentRejected(f"{url} is {human_size(int(declared))}, over the {human_size(self.max_bytes)} "
                                   "limit", reason=Reason.TOO_LARGE, hint=_TOO_LARGE_HINT)
        parts: list[bytes] = []
        size = 0
        try:
            pieces: Iterator[bytes]
            if response.is_stream_consumed:  # built in memory (a test's transport): already read and decoded
                pieces = iter([response.content])
            else:  # decoded here, a bounded piece at a time, not by httpx: see ``decoding``
                pieces = decoded_pieces(response.iter_raw(), response.headers.get("content-encoding", ""), url=url)
            for chunk in pieces:
                size += len(chunk)
                if size > self.max_bytes:
                    raise DocumentRejected(f"{url} sent more than the {human_size(self.max_bytes)} limit",
                                           reason=Reason.TOO_LARGE, hint=_TOO_LARGE_HINT)
                if time.monotonic() > deadline:
                    raise self._timed_out(url)
                parts.append(chunk)
        except httpx.TimeoutException:
            raise self._timed_out(url) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"reading {url} failed: {exc}") from None
        return b"".join(parts)


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's message, at most 200 characters (it may quote hostile input)."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else "")[:200]


def _redirect_target(current: str, location: str) -> str:
    """Where a redirect's ``Location`` points, resolved against the URL that answered it."""
    try:
        return str(httpx.URL(current).join(location.strip()))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"{current} redirects to {location[:100]!r}, which is not a valid URL ({_first_line(exc)})",
                         "open the URL in a browser, or save the page and pass the file") from None


@dataclass
class InMemoryFetcher:
    """The ``Fetcher`` twin for tests: answers from a dict, records what was asked, never networks.

    A route's value is a ``FetchedPage``, raw ``bytes`` (served as a 200 HTML page) or an
    exception to raise.
    """

    routes: dict[str, FetchedPage | bytes | Exception] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    request_headers: list[dict[str, str]] = field(default_factory=list)

    def add(self, url: str, content: bytes, *, status: int = 200, content_type: str = "text/html; charset=utf-8",
            final_url: str | None = None) -> None:
        self.routes[url] = FetchedPage(url=url, final_url=final_url or url, status=status,
                                       headers=MappingProxyType({"content-type": content_type}), content=content,
                                       fetched_at=utc_now_iso())

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchedPage:
        self.requested.append(url)
        self.request_headers.append(dict(headers or {}))
        answer = self.routes.get(url)
        if answer is None:
            raise FetchError(f"could not connect to {url} (no route in the in-memory fetcher)")
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, bytes):
            return FetchedPage(url=url, final_url=url, status=200,
                               headers=MappingProxyType({"content-type": "text/html"}), content=answer,
                               fetched_at=utc_now_iso())
        return answer
