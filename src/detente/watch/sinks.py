"""Where alerts go: the log, a JSONL file, a webhook; and how each alert reaches each sink once.

A sink has a stable ``name`` (its delivery state in the store is keyed by it) and a
``send(alert_id, body)`` that raises ``DeliveryFailed`` when the alert did not get there.
``deliver_alerts`` drives them:

1. every alert found is remembered in ``watch_alerts`` with the JSON body it is first
   sent with (so every retry sends the same bytes), and each sink gets a ``pending``
   delivery for it;
2. before an attempt the delivery is marked ``sending`` (committed), after it
   ``delivered`` (committed); a failure is retried with exponential backoff, and a sink
   that keeps failing is left for the next cycle (its deliveries stay ``pending``);
   a permanent refusal (HTTP 4xx other than 408/425/429) or too many attempts marks the
   delivery ``failed``. Failures are logged, never raised.
3. a delivery found ``sending`` after a restart was cut off mid-attempt: the JSONL sink
   looks for the alert's id in its file before writing again; the webhook sends again
   with the same ``Idempotency-Key`` header (the alert id), since only the receiver can
   know whether the first request arrived before the crash.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from ..errors import DeliveryFailed, FetchError, UnsafeURL
from ..ingest.fetch import USER_AGENT
from ..ingest.netguard import Resolver, check_addresses, resolve_host
from ..ingest.reasons import safe_one_line
from ..model import Alert
from ..safe_json import load_json
from ..store import Store
from . import state

__all__ = [
    "AlertSink",
    "DeliveryFailed",
    "DeliveryReport",
    "GuardedPoster",
    "JsonlSink",
    "LogSink",
    "Poster",
    "RetryPolicy",
    "WebhookSink",
    "alert_body",
    "deliver_alerts",
]

log = logging.getLogger("detente.watch")
alert_log = logging.getLogger("detente.watch.alerts")

_TRANSIENT_STATUSES = frozenset({408, 425, 429})


class AlertSink(Protocol):
    name: str

    def send(self, alert_id: str, body: bytes) -> None:
        """Deliver one alert (``body`` is its JSON); raise ``DeliveryFailed`` if it did not arrive."""

    def already_has(self, alert_id: str) -> bool:
        """After a crash mid-attempt: whether the alert is known to have arrived."""


def alert_body(alert: Alert) -> bytes:
    """The JSON every sink receives: ``Alert.to_dict()``, one line, UTF-8."""
    return json.dumps(alert.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per delivery in one cycle, and the backoff between them: base, base*factor, ... capped.

    ``give_up_after`` bounds the attempts over all cycles; the delivery is then ``failed``.
    """

    attempts: int = 4
    base_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    give_up_after: int = 40

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.base_delay * self.factor ** (attempt - 1), self.max_delay))


# ---- sinks ---------------------------------------------------------------------------------------

class LogSink:
    """Alerts as log records (logger ``detente.watch.alerts``, level WARNING), one line each."""

    name = "log"

    def send(self, alert_id: str, body: bytes) -> None:
        data = json.loads(body)
        alert_log.warning("alert %s: %s %s -> %s: %s", alert_id, data.get("period"), data.get("source"),
                          data.get("target"), safe_one_line(str(data.get("reason", ""))))

    def already_has(self, alert_id: str) -> bool:
        return False  # logging twice after a crash is harmless


class JsonlSink:
    """Alerts appended to a JSONL file, one object a line, fsynced before the delivery is recorded.

    Each line is written with one ``write`` on a file opened for appending, so a killed
    process leaves whole lines (a torn line needs a power cut or a full disk).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = f"jsonl:{self.path.resolve()}"

    def send(self, alert_id: str, body: bytes) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, body + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise DeliveryFailed(f"cannot append to {self.path}: {exc.strerror}") from exc

    def already_has(self, alert_id: str) -> bool:
        if not self.path.exists():
            return False
        with self.path.open("rb") as fh:
            for line in fh:  # streamed: the file may be long
                try:
                    if load_json(line).get("id") == alert_id:
                        return True
                except (ValueError, AttributeError):
                    continue
        return False


class Poster(Protocol):
    """Sends one POST; returns the HTTP status, raises ``FetchError``/``UnsafeURL`` when no answer came."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int: ...


class GuardedPoster:
    """POSTs through httpx behind the SSRF guard, to the very address that was checked.

    Like ``SafeFetcher``: the host is resolved once, every address checked (unless
    ``allow_private``), the request sent to that IP with the original ``Host`` and TLS
    server name; no proxies from the environment, no redirects followed, no keep-alive.
    """

    def __init__(self, *, allow_private: bool = False, timeout: float = 10.0, resolver: Resolver | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self._resolve: Resolver = resolver or resolve_host
        self._client = httpx.Client(follow_redirects=False, trust_env=False, transport=transport,
                                    limits=httpx.Limits(max_keepalive_connections=0))

    def close(self) -> None:
        self._client.close()

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise UnsafeURL(f"refused to post to {url!r}: not a valid URL ({exc})", "check the --webhook URL") from None
        if parsed.scheme not in ("http", "https") or not parsed.raw_host:
            raise UnsafeURL(f"refused to post to {url}: only http(s) URLs with a host", "check the --webhook URL")
        host = parsed.raw_host.decode("ascii").rstrip(".")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = self._resolve(host, port, timeout=self.timeout)
        if not self.allow_private:
            check_addresses(url, host, addresses)
        elif not addresses:
            raise FetchError(f"cannot resolve {host}: no addresses", "check the --webhook URL")
        failure: Exception | None = None
        for address in addresses:
            extensions = {} if _is_ip(host) else {"sni_hostname": host}
            request = self._client.build_request(
                "POST", parsed.copy_with(host=address.split("%", 1)[0]), content=body, timeout=self.timeout,
                headers={**headers, "Host": parsed.netloc.decode("ascii")}, extensions=extensions)
            try:
                response = self._client.send(request)
            except httpx.ConnectError as exc:
                failure = exc
                continue
            except httpx.HTTPError as exc:
                raise FetchError(f"posting to {url} failed: {type(exc).__name__} {exc}") from None
            response.close()
            return response.status_code
        raise FetchError(f"could not connect to {host} ({failure})", "check that the webhook receiver is up")


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class WebhookSink:
    """POSTs each alert's JSON to ``url``; 2xx is delivered, 408/425/429/5xx and network errors are
    retried, any other status is a permanent refusal. Carries ``Idempotency-Key: <alert id>``."""

    def __init__(self, url: str, poster: Poster) -> None:
        self.url = url
        self.poster = poster
        self.name = f"webhook:{url}"

    def send(self, alert_id: str, body: bytes) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": alert_id}
        try:
            status = self.poster.post(self.url, body, headers)
        except UnsafeURL as exc:
            raise DeliveryFailed(exc.message, permanent=True) from exc
        except FetchError as exc:
            raise DeliveryFailed(exc.message) from exc
        if 200 <= status < 300:
            return
        transient = status >= 500 or status in _TRANSIENT_STATUSES
        raise DeliveryFailed(f"{self.url} answered HTTP {status}", permanent=not transient)

    def already_has(self, alert_id: str) -> bool:
        return False  # only the receiver knows; it gets the same Idempotency-Key again


# ---- delivery ------------------------------------------------------------------------------------

@dataclass
class DeliveryReport:
    """What one round of deliveries did."""

    new_alerts: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    deferred: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"new_alerts": self.new_alerts, "delivered": dict(self.delivered), "failed": dict(self.failed),
                "deferred": dict(self.deferred)}


def deliver_alerts(store: Store, alerts: Sequence[Alert], sinks: Sequence[AlertSink], *,
                   retry: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] = time.sleep,
                   should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """Deliver every alert each sink has not had yet (see the module docstring); never raises for a sink."""
    report = DeliveryReport()
    if not sinks:
        return report
    rows = [(a.id, a.source, a.target, a.period, a.freq, alert_body(a).decode("utf-8")) for a in alerts]
    with store.writer() as writer:
        report.new_alerts = state.record_alerts(writer.con, rows, [s.name for s in sinks])
    for sink in sinks:
        for delivery in state.deliveries_to_send(store, sink.name, max_attempts=retry.give_up_after):
            if should_stop():
                return report
            outcome = _deliver_one(store, sink, delivery, retry, sleep)
            bucket = {"delivered": report.delivered, "failed": report.failed}.get(outcome, report.deferred)
            bucket[sink.name] = bucket.get(sink.name, 0) + 1
            if outcome == "deferred":
                # The sink is down: leave its other alerts for the next cycle rather than wait on each.
                left = len(state.deliveries_to_send(store, sink.name, max_attempts=retry.give_up_after)) - 1
                if left > 0:
                    report.deferred[sink.name] += left
                    log.warning("sink %s: %d more alerts wait for the next cycle", sink.name, left)
                break
    return report


def _deliver_one(store: Store, sink: AlertSink, delivery: state.DeliveryRow, retry: RetryPolicy,
                 sleep: Callable[[float], None]) -> str:
    if delivery.status == "sending" and sink.already_has(delivery.alert_id):
        with store.writer() as writer:
            state.mark_delivery(writer.con, delivery.alert_id, sink.name, "delivered")
        return "delivered"
    body = delivery.payload.encode("utf-8")
    attempts = delivery.attempts
    for attempt in range(1, retry.attempts + 1):
        with store.writer() as writer:
            state.mark_delivery(writer.con, delivery.alert_id, sink.name, "sending", attempts=1)
        attempts += 1
        try:
            sink.send(delivery.alert_id, body)
        except Exception as exc:  # a sink's failure, whatever it is, is logged and never stops the watch
            error = safe_one_line(str(exc) if isinstance(exc, DeliveryFailed) else f"{type(exc).__name__}: {exc}")
            given_up = getattr(exc, "permanent", False) or attempts >= retry.give_up_after
            if given_up or attempt == retry.attempts:
                status = "failed" if given_up else "pending"
                with store.writer() as writer:
                    state.mark_delivery(writer.con, delivery.alert_id, sink.name, status, error=error)
                if given_up:
                    log.error("alert %s not delivered to %s: %s (gave up after %d attempts)",
                              delivery.alert_id, sink.name, error, attempts)
                    return "failed"
                log.warning("alert %s not delivered to %s: %s (attempt %d; tried again next cycle)",
                            delivery.alert_id, sink.name, error, attempts)
                return "deferred"
            wait = retry.delay(attempt)
            log.warning("alert %s not delivered to %s: %s (attempt %d; again in %.3g s)",
                        delivery.alert_id, sink.name, error, attempts, wait)
            sleep(wait)
            continue
        with store.writer() as writer:
            state.mark_delivery(writer.con, delivery.alert_id, sink.name, "delivered")
        log.info("alert %s delivered to %s", delivery.alert_id, sink.name)
        return "delivered"
    raise AssertionError("unreachable: the last attempt returns")  # pragma: no cover
