"""Safe fetching: the SSRF guard, redirects, timeouts and size limits, against a local server.

The server runs on 127.0.0.1 in a thread, so most tests pass ``allow_private=True``; the
tests of the guard itself either use addresses that are refused before any connection, or
a transport that plays the network by routing one public address to the local server.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente import __version__
from detente.errors import DocumentRejected, FetchError, UnsafeURL
from detente.ingest import SafeFetcher, iter_documents
from detente.ingest.netguard import address_risk, resolve_host
from detente.model import Document, Rejected

PAGE = b"<html><head><title>Talks</title></head><body><p>The ministers met in Vienna.</p></body></html>"
MB = 1024 * 1024
PUBLIC_IP = "93.184.216.34"  # a public address the tests pretend some host resolves to


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    log: list[tuple[str, dict[str, str]]]
    sent: dict[str, int]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        self.server.log.append((self.path, dict(self.headers)))
        port = self.server.server_address[1]
        path = self.path
        try:
            if path == "/page":
                self._reply(200, PAGE, "text/html; charset=utf-8")
            elif path == "/headers":
                self._reply(200, json.dumps(dict(self.headers)).encode(), "application/json")
            elif path.startswith("/hop/"):
                left = int(path.rsplit("/", 1)[1])
                self._redirect(f"/hop/{left - 1}" if left > 1 else "/page")
            elif path == "/relative":
                self._redirect("page")
            elif path == "/to-loopback":
                self._redirect(f"http://127.0.0.1:{port}/secret")
            elif path == "/to-intranet":
                self._redirect("http://intranet.example/admin")
            elif path == "/to-metadata":
                self._redirect("http://169.254.169.254/latest/meta-data/")
            elif path == "/to-file":
                self._redirect("file:///etc/passwd")
            elif path == "/slow":
                time.sleep(3)
                self._reply(200, PAGE, "text/html")
            elif path == "/drip":
                self._stream(lambda: (time.sleep(0.05), b"x")[1], path)
            elif path == "/big-declared":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * MB))
                self.end_headers()
                self._stream(lambda: b"y" * 65536, path, headers_sent=True)
            elif path == "/big-stream":
                self._stream(lambda: b"z" * 65536, path)
            elif path == "/missing":
                self._reply(404, b"<p>not here</p>", "text/html")
            else:
                self._reply(500, b"unknown test route", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as it should for oversized or slow answers

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self, chunk: Callable[[], bytes], name: str, *, headers_sent: bool = False) -> None:
        """Send chunks until the client hangs up (HTTP/1.0: the body ends when the connection does)."""
        if not headers_sent:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
        self.server.sent[name] = 0
        deadline = time.monotonic() + 30  # a safety net should a client never hang up
        while time.monotonic() < deadline:
            data = chunk()
            self.wfile.write(data)
            self.server.sent[name] += len(data)


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.log, httpd.sent = [], {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _paths(server: _Server) -> list[str]:
    return [path for path, _ in server.log]


def _fake_dns(table: dict[str, list[str]]) -> Callable[..., list[str]]:
    """A resolver answering from ``table`` (IP literals resolve to themselves, like the real one)."""

    def resolve(host: str, port: int, *, timeout: float) -> list[str]:
        return list(table[host]) if host in table else resolve_host(host, port, timeout=timeout)

    return resolve


class _PublicAddressIsTheTestServer(httpx.HTTPTransport):
    """Plays the internet: requests sent to PUBLIC_IP reach the local server; all else as usual."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        if request.url.host == PUBLIC_IP:
            request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return super().handle_request(request)


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any TCP connection is attempted."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


# ---- the address guard --------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "risk"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "private"), ("100.64.0.1", "non-public"),
    ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("::ffff:169.254.169.254", "link-local (IPv4 169.254.169.254 inside IPv6)"),
    ("2002:a00:1::1", "private (IPv4 10.0.0.1 inside IPv6)"),
    ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("64:ff9b::a9fe:a9fe", "link-local (IPv4 169.254.169.254 inside IPv6)"),
    ("not-an-ip", "unparseable"),
])
def test_unsafe_addresses(address: str, risk: str) -> None:
    assert address_risk(address) == risk


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "2002:808:808::1", "64:ff9b::808:808"])
def test_public_addresses(address: str) -> None:
    assert address_risk(address) is None


@given(st.ip_addresses(v=4))
def test_ipv6_forms_of_an_ipv4_address_get_its_verdict(ip: ipaddress.IPv4Address) -> None:
    verdict = address_risk(str(ip)) is None
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (int(ip) << 80) | 1)
    nat64 = ipaddress.IPv6Address((0x64FF9B << 96) | int(ip))
    for wrapped in (mapped, sixtofour, nat64):
        assert (address_risk(str(wrapped)) is None) == verdict, wrapped


@given(st.ip_addresses())
def test_only_global_unicast_addresses_are_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    if address_risk(str(ip)) is None:
        assert ip.is_global and not ip.is_multicast and not ip.is_private and not ip.is_loopback


def test_odd_spellings_of_loopback_are_resolved_then_refused(no_connections: None) -> None:
    # inet_aton reads these as 127.0.0.1; the guard judges what would be dialled, not the spelling
    for url in ("http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://[::ffff:7f00:1]/"):
        with SafeFetcher() as fetcher, pytest.raises(UnsafeURL, match="loopback"):
            fetcher.fetch(url)


def test_metadata_address_is_refused_before_any_connection(no_connections: None) -> None:
    with SafeFetcher() as fetcher, pytest.raises(UnsafeURL) as caught:
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    assert caught.value.exit_code == 2
    assert "link-local" in caught.value.one_line() and "--allow-private" in caught.value.one_line()


def test_a_name_resolving_to_a_private_address_is_refused(no_connections: None) -> None:
    dns = _fake_dns({"db.example": ["93.184.216.34", "10.0.0.7"]})  # one bad address is enough
    with SafeFetcher(resolver=dns) as fetcher, pytest.raises(UnsafeURL, match=r"resolves to 10\.0\.0\.7"):
        fetcher.fetch("https://db.example/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/x", "gopher://x.example/",
                                 "javascript:alert(1)", "http:///nohost"])
def test_only_http_and_https_are_fetched(url: str, no_connections: None) -> None:
    with SafeFetcher() as fetcher, pytest.raises(UnsafeURL):
        fetcher.fetch(url)


def test_allow_private_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_ALLOW_PRIVATE", "1")
    assert SafeFetcher().allow_private is True
    assert SafeFetcher(allow_private=False).allow_private is False


# ---- connecting to the checked address (DNS rebinding) ------------------------------------------


def test_the_request_goes_to_the_checked_address_with_the_original_host(server: _Server) -> None:
    port = server.server_address[1]
    calls: list[str] = []

    def dns(host: str, port: int, *, timeout: float) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    with SafeFetcher(allow_private=True, resolver=dns) as fetcher:
        page = fetcher.fetch(f"http://news.example:{port}/headers")
    headers = json.loads(page.content)
    assert headers["Host"] == f"news.example:{port}"
    assert headers["User-Agent"] == f"detente/{__version__}"
    assert calls == ["news.example"]  # resolved once; the connection used that answer


def test_rebinding_dns_cannot_redirect_the_connection() -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public when checked, loopback afterwards
    seen: list[httpx.Request] = []

    def dns(host: str, port: int, *, timeout: float) -> list[str]:
        return next(answers)

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, html="<p>ok</p>")

    with SafeFetcher(resolver=dns, transport=httpx.MockTransport(respond)) as fetcher:
        fetcher.fetch("https://news.example/story")
    [request] = seen
    assert request.url.host == "93.184.216.34"
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"  # TLS still verifies news.example


# ---- fetching from the local server -------------------------------------------------------------


def test_fetch_a_page(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher:
        page = fetcher.fetch(_base(server) + "/page")
    assert page.ok and page.status == 200 and page.content == PAGE
    assert page.final_url == page.url == _base(server) + "/page"
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.fetched_at.endswith("Z") and page.fetched_at[4] == "-"


def test_loopback_server_is_refused_without_allow_private(server: _Server) -> None:
    before = len(server.log)
    with SafeFetcher(allow_private=False) as fetcher, pytest.raises(UnsafeURL, match="loopback"):
        fetcher.fetch(_base(server) + "/page")
    assert len(server.log) == before


def test_redirect_chain_of_five_is_followed(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher:
        page = fetcher.fetch(_base(server) + "/hop/5")
    assert page.content == PAGE and page.final_url == _base(server) + "/page"
    assert page.url == _base(server) + "/hop/5"


def test_redirect_chain_of_six_is_refused(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises(FetchError, match="more than 5") as caught:
        fetcher.fetch(_base(server) + "/hop/6")
    assert caught.value.exit_code == 1
    assert "/page" not in _paths(server)[-6:]  # the sixth target was never requested


def test_max_redirects_setting(server: _Server) -> None:
    with SafeFetcher(allow_private=True, max_redirects=1) as fetcher:
        assert fetcher.fetch(_base(server) + "/hop/1").ok
        with pytest.raises(FetchError):
            fetcher.fetch(_base(server) + "/hop/2")


def test_relative_redirect(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher:
        assert fetcher.fetch(_base(server) + "/relative").final_url == _base(server) + "/page"


def test_redirect_to_a_private_address_is_refused_before_connecting(server: _Server) -> None:
    network = _PublicAddressIsTheTestServer(server.server_address[1])
    dns = _fake_dns({"news.example": [PUBLIC_IP], "intranet.example": ["10.20.30.40"]})
    with SafeFetcher(allow_private=False, resolver=dns, transport=network) as fetcher:
        for route, risk in (("/to-loopback", "loopback"), ("/to-intranet", "private"),
                            ("/to-metadata", "link-local")):
            with pytest.raises(UnsafeURL, match=risk):
                fetcher.fetch("http://news.example" + route)
    # every request that left went to the public address; none to the redirect targets
    assert network.seen == [f"http://{PUBLIC_IP}{route}" for route in ("/to-loopback", "/to-intranet",
                                                                        "/to-metadata")]
    assert "/secret" not in _paths(server)


def test_redirect_to_another_scheme_is_refused(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises(UnsafeURL, match="only http and https"):
        fetcher.fetch(_base(server) + "/to-file")


def test_error_status_is_returned_not_raised(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher:
        page = fetcher.fetch(_base(server) + "/missing")
    assert page.status == 404 and not page.ok


def test_slow_endpoint_times_out(server: _Server) -> None:
    started = time.monotonic()
    with SafeFetcher(allow_private=True, fetch_timeout=0.5) as fetcher, pytest.raises(FetchError,
                                                                                      match="timed out"):
        fetcher.fetch(_base(server) + "/slow")
    assert time.monotonic() - started < 2.5


def test_a_dripping_body_meets_the_total_deadline(server: _Server) -> None:
    # each byte arrives well within any read timeout; only a deadline for the whole fetch stops it
    started = time.monotonic()
    with SafeFetcher(allow_private=True, fetch_timeout=0.6) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(_base(server) + "/drip")
    assert time.monotonic() - started < 2.5


def test_declared_oversized_body_is_refused_before_reading(server: _Server) -> None:
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises(DocumentRejected) as caught:
        fetcher.fetch(_base(server) + "/big-declared")
    assert caught.value.reason == "too_large" and "50 MB" in caught.value.message


def test_streamed_oversized_body_is_cut_at_ten_megabytes(server: _Server) -> None:
    # the server streams forever; a fetcher that buffered it all would never return
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises(DocumentRejected) as caught:
        fetcher.fetch(_base(server) + "/big-stream")
    assert caught.value.reason == "too_large" and "10 MB" in caught.value.message
    time.sleep(0.2)
    assert server.sent["/big-stream"] < 3 * 10 * MB  # what the kernel buffered, no more


def test_nothing_listening_is_a_fetch_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises(FetchError, match="could not connect"):
        fetcher.fetch(f"http://127.0.0.1:{port}/")


def test_unresolvable_host_is_a_fetch_error() -> None:
    def dns(host: str, port: int, *, timeout: float) -> list[str]:
        raise FetchError(f"cannot resolve {host}: Name or service not known")

    with SafeFetcher(resolver=dns) as fetcher, pytest.raises(FetchError, match="cannot resolve"):
        fetcher.fetch("https://no-such-host.invalid/")


def test_iter_documents_fetches_urls_through_the_safe_fetcher(server: _Server) -> None:
    url = _base(server) + "/hop/2"
    [doc] = list(iter_documents([url], allow_private=True))
    assert isinstance(doc, Document)
    assert (doc.kind, doc.doc_id, doc.url, doc.uri) == ("url", url, _base(server) + "/page", _base(server) + "/page")
    assert doc.content == PAGE and doc.encoding == "utf-8"
    [refused] = list(iter_documents([_base(server) + "/page"]))
    assert isinstance(refused, Rejected) and refused.reason == "unsafe_url"
    [gone] = list(iter_documents([_base(server) + "/missing"], allow_private=True))
    assert isinstance(gone, Rejected) and gone.reason == "http_404"
