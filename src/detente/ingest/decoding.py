"""HTTP content codings (``Content-Encoding: gzip``, ``deflate``), decoded a bounded piece at a time.

httpx decodes a whole network chunk through every coding layer before its caller sees a
byte. One layer of gzip expands at most about a thousand times, so that is tolerable;
stacked layers are not: ``Content-Encoding: gzip, gzip`` turned a 1,827-byte answer into
2.15 GB in one step, long before a body limit could count it. Here each layer hands on at
most ``PIECE`` bytes per step and the next layer pulls only when it needs more, so the
memory a body takes while it is counted stays within ``max_bytes`` plus a few pieces,
however many layers (at most ``MAX_LAYERS``) and however well they compress.

    decoded_pieces(raw_chunks, "gzip, gzip") -> the decoded body, piece by piece
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from ..errors import FetchError

__all__ = ["MAX_LAYERS", "PIECE", "codings_of", "decoded_pieces"]

PIECE = 64 * 1024
# Stacking codings has no use a news page needs; more than this is an attack or a broken server.
MAX_LAYERS = 3
_GZIP = frozenset({"gzip", "x-gzip"})
_IDENTITY = frozenset({"identity", ""})
_HINT = "open the URL in a browser and save the page, then pass the file"


def codings_of(header: str) -> list[str]:
    """The content codings a ``Content-Encoding`` header lists, in the order they were applied."""
    codings = [part.strip().lower() for part in header.split(",")]
    return [c for c in codings if c not in _IDENTITY]


def decoded_pieces(raw: Iterable[bytes], header: str, *, url: str) -> Iterator[bytes]:
    """The body ``raw`` (as received) decoded through every coding ``header`` names, in pieces of at most
    ``PIECE`` bytes. Raises ``FetchError`` for a coding detente does not read, too many layers, or
    data that is not what its coding says."""
    codings = codings_of(header)
    if len(codings) > MAX_LAYERS:
        raise FetchError(f"{url} answered with {len(codings)} content codings stacked ({header[:100]}); "
                         f"detente decodes at most {MAX_LAYERS}", _HINT)
    for coding in codings:
        if coding not in _GZIP and coding != "deflate":
            raise FetchError(f"{url} answered in the content coding {coding[:40]!r}, which detente did not ask for "
                             "and does not read", _HINT)
    stream: Iterator[bytes] = iter(raw)
    for coding in reversed(codings):  # the last coding applied is the first to undo
        stream = _layer(stream, coding, url)
    return stream


def _layer(chunks: Iterator[bytes], coding: str, url: str) -> Iterator[bytes]:
    inflater = _Inflater(coding, url)
    for chunk in chunks:
        yield from inflater.feed(chunk)


class _Inflater:
    """One coding layer: zlib with an output limit per call, so no step makes more than ``PIECE`` bytes."""

    def __init__(self, coding: str, url: str) -> None:
        self.coding = coding
        self.url = url
        self.gzip = coding in _GZIP
        self.started = False
        self.finished = False  # a deflate stream ended: anything after it is ignored, as browsers do
        self._d = self._new()

    def _new(self, raw_deflate: bool = False) -> zlib._Decompress:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while not self.finished:
            try:
                out = self._d.decompress(data, PIECE)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.started:
                    # "deflate" is meant to be zlib-wrapped, but many servers send raw deflate
                    self._d = self._new(raw_deflate=True)
                    self.started = True
                    continue
                raise FetchError(f"the body of {self.url} is not valid {self.coding} data ({exc})", _HINT) from None
            self.started = self.started or bool(data)
            if out:
                yield out
            data = self._d.unconsumed_tail
            if self._d.eof:
                rest = self._d.unused_data
                if self.gzip and rest.lstrip(b"\x00"):  # a gzip body may hold several members
                    self._d, data = self._new(), rest
                    continue
                self.finished = True
            # a full piece with no input left may leave output pending inside zlib: ask again
            elif not data and len(out) < PIECE:
                return
