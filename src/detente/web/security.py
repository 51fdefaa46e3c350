"""The server's safety measures, each small enough to read at once.

- ``SecurityHeaders``: every response carries a Content-Security-Policy that allows
  nothing but this server (no inline script, no other origin, no framing), plus
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.
- ``BodyLimit``: request bodies over ``max_body`` bytes are refused with 413, before
  the app sees them when ``Content-Length`` says so, and while streaming when it does not
  (chunked uploads are counted as they arrive and never held past the limit).
- ``check_bearer``: the write token, compared in constant time.
- ``safe_href``: only http(s) URLs from untrusted records ever become links.

CORS is off: no ``Access-Control-Allow-*`` header is ever sent, so other origins' pages
cannot read the API's answers. Pages get their data from ``data-`` attributes or JSON
fetched from this server; no template marks untrusted text safe.
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "MAX_BODY_BYTES",
    "SECURITY_HEADERS",
    "BodyLimit",
    "HTTPError",
    "HostCheck",
    "RequestTooLarge",
    "SecurityHeaders",
    "check_bearer",
    "error_body",
    "host_name",
    "safe_href",
]

MAX_BODY_BYTES = 10 * 1024 * 1024

# img-src allows data: because the chart library draws its toolbar icons from data: SVGs;
# images cannot run script. Everything else comes from this server alone.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def error_body(error: str, hint: str, **extra: Any) -> dict[str, Any]:
    """The JSON every error answers with: what happened, and what to do next."""
    return {"error": error, "hint": hint, **extra}


def _too_large(limit: int) -> dict[str, Any]:
    return error_body(f"the request body is over the {_size(limit)} limit",
                      "send a smaller document, or its URL, in one request")


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


class HTTPError(HTTPException):
    """An HTTP error with the hint its JSON body carries."""

    def __init__(self, status: int, error: str, hint: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, error, headers=headers)
        self.hint = hint


class RequestTooLarge(HTTPError):
    """Raised from ``receive`` when a streamed body passes the limit (FastAPI re-raises HTTP errors)."""

    def __init__(self, limit: int) -> None:
        body = _too_large(limit)
        super().__init__(413, body["error"], body["hint"])


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (error pages and static files included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_body`` bytes with 413 and a JSON error."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(_too_large(self.max_body)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                declared = value.decode("latin-1").strip()
                if declared.isascii() and declared.isdigit() and int(declared) > self.max_body:
                    await self._refuse(send)
                    return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge(self.max_body)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except RequestTooLarge:
            # Only reached when something read the body outside FastAPI's error handling.
            if started:
                raise
            await self._refuse(send)


class HostCheck:
    """Answers 400 unless the ``Host`` header names one of ``allowed`` (with any port).

    A server on loopback is reachable from any web page the user opens; with a DNS name
    that resolves to 127.0.0.1 (DNS rebinding) such a page could read the API as if it
    were same-origin. The browser still sends the attacker's name in ``Host``, so this
    check shuts that door.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower().strip("[]") for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if host_name(host) in self.allowed:
            await self.app(scope, receive, send)
            return
        body = json.dumps(error_body(f"the Host header '{host[:100]}' does not name this server",
                                     "open the server by the address it listens on, e.g. http://127.0.0.1:PORT/")
                          ).encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def host_name(host_header: str) -> str:
    """The host of a ``Host`` header without its port: ``[::1]:8000`` -> ``::1``, ``a.b:80`` -> ``a.b``."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def check_bearer(authorization: str | None, token: str) -> bool:
    """True when ``authorization`` is ``Bearer <token>`` (constant-time comparison)."""
    if not authorization:
        return False
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def safe_href(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL (safe to put in ``href``), else None.

    Article URLs come from the pages themselves; ``javascript:``, ``data:`` and the like
    must never become links.
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(ord(ch) < 0x20 or ch.isspace() for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text
