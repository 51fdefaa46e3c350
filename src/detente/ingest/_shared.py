"""Small pieces every source module shares: the ingest-stage rejection and a bounded read."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

from ..errors import Reason
from ..model import Rejected, sha256_hex

STAGE = "ingest"


def unread_document_id(doc_id: str) -> str:
    """The ``document_id`` of a source whose content was never read (missing, too large, refused).

    A real document id is the sha256 of the content; with no content we hash the name
    instead, prefixed so that it cannot collide with the hash of a file holding that name.
    """
    return sha256_hex(f"detente:unread:{doc_id}")


def public_name(path: str) -> str:
    """How a path the user gave is named in doc_ids, which the store keeps and the API serves.

    A relative path that stays below the working directory is kept as typed (``news/a.html``);
    an absolute one, or one that climbs out (``../x``), is named from its last part on
    (``/home/ana/news`` -> ``news``), so no local directory layout is stored or served.
    """
    parts = os.path.normpath(path).split(os.sep)
    if not os.path.isabs(path) and ".." not in parts:
        return path
    return os.path.basename(os.path.abspath(path)) or path


def reject_source(doc_id: str, reason: str, detail: str, *, content: bytes | None = None) -> Rejected:
    """A ``Rejected`` from the ingest stage; ``content`` (when some was read) gives its document id."""
    document_id = sha256_hex(content) if content is not None else unread_document_id(doc_id)
    return Rejected(document_id=document_id, doc_id=doc_id, stage=STAGE, reason=reason, detail=detail)


def open_source(path: str, name: str, opener: Callable[[str], BinaryIO]) -> BinaryIO | Rejected:
    """``opener(path)``, or the ``not_found`` / ``unreadable`` rejection of source ``name``."""
    try:
        return opener(path)
    except FileNotFoundError:
        return reject_source(name, Reason.NOT_FOUND, f"no such file: {name}")
    except OSError as exc:
        return reject_source(name, Reason.UNREADABLE, f"cannot read {name}: {exc.strerror or exc}")


def read_at_most(stream: BinaryIO, limit: int, *, chunk_size: int = 1 << 16) -> tuple[bytes, bool]:
    """Read ``stream`` to its end but never hold more than ``limit`` + 1 bytes.

    Returns ``(content, truncated)``; ``truncated`` is True when the stream had more than
    ``limit`` bytes (the content is then cut and must not be used). Reading in chunks keeps
    a pipe or a device that never ends (``/dev/zero``) from filling memory.
    """
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(chunk_size, limit + 1 - size))
        if not chunk:
            return b"".join(parts), False
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts), True


def human_size(n: int) -> str:
    """``10485760`` -> ``"10 MB"``: sizes in messages a person reads (powers of 1024)."""
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{n} bytes" if unit == "bytes" else f"{value:.3g} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover
