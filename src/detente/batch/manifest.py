"""A batch directory's manifest (``manifest.json``): what was asked, which shards are complete, the counts.

The manifest is what makes a batch restartable and loadable: it names the inputs, the shard
size and the coder, and lists every complete shard with the digest of its documents' ids and
its counts. It is replaced atomically (temporary file + rename) after each shard's files are
in place, so a shard listed here always has all its files; a shard whose files exist but is
not listed is simply coded again.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import BadOption

__all__ = ["FORMAT", "MANIFEST", "Manifest", "ShardRecord", "read_manifest", "shard_path", "write_atomically"]

FORMAT = "detente.batch.v1"
MANIFEST = "manifest.json"


def shard_path(directory: str | Path, table: str, index: int) -> Path:
    """``DIR/<table>-<index>.parquet`` (five digits, more when needed)."""
    return Path(directory) / f"{table}-{index:05d}.parquet"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file in the same directory, flushed, then renamed."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


@dataclass(frozen=True)
class ShardRecord:
    """A complete shard: its first document's position, a digest of its document ids, and counts."""

    index: int
    first_seq: int
    digest: str
    documents: int
    articles: int
    events: int
    rejected: dict[str, int]
    skipped: dict[str, int] = field(default_factory=dict)  # articles kept but not coded (not_english)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "first_seq": self.first_seq, "digest": self.digest,
                "documents": self.documents, "articles": self.articles, "events": self.events,
                "rejected": dict(sorted(self.rejected.items())), "skipped": dict(sorted(self.skipped.items()))}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ShardRecord:
        return cls(index=int(d["index"]), first_seq=int(d["first_seq"]), digest=str(d["digest"]),
                   documents=int(d["documents"]), articles=int(d["articles"]), events=int(d["events"]),
                   rejected={str(k): int(v) for k, v in dict(d.get("rejected") or {}).items()},
                   skipped={str(k): int(v) for k, v in dict(d.get("skipped") or {}).items()})


@dataclass
class Manifest:
    """The state of one batch directory. ``settings`` are what must match for a restart to resume it."""

    inputs: list[str]
    shard_size: int
    coder: str
    extractor: str
    published: str | None
    detente_version: str
    started_at: str = field(default_factory=now_iso)
    updated_at: str | None = None
    complete: bool = False
    shard_count: int | None = None
    shards: dict[int, ShardRecord] = field(default_factory=dict)

    @property
    def settings(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "shard_size": self.shard_size, "coder": self.coder,
                "extractor": self.extractor, "published": self.published}

    def totals(self) -> dict[str, Any]:
        rejected: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        for record in self.shards.values():
            rejected.update(record.rejected)
            skipped.update(record.skipped)
        return {"shards": len(self.shards), "documents": sum(r.documents for r in self.shards.values()),
                "articles": sum(r.articles for r in self.shards.values()),
                "events": sum(r.events for r in self.shards.values()),
                "rejected": sum(rejected.values()), "rejected_by_reason": dict(sorted(rejected.items())),
                "skipped": sum(skipped.values()), "skipped_by_reason": dict(sorted(skipped.items()))}

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.settings, "detente_version": self.detente_version,
                "started_at": self.started_at, "updated_at": self.updated_at, "complete": self.complete,
                "shard_count": self.shard_count, "totals": self.totals(),
                "shards": [self.shards[k].to_dict() for k in sorted(self.shards)]}

    def save(self, directory: str | Path) -> None:
        self.updated_at = now_iso()
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"
        write_atomically(Path(directory) / MANIFEST, text.encode("utf-8"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Manifest:
        shards = [ShardRecord.from_dict(s) for s in d.get("shards") or []]
        return cls(inputs=[str(i) for i in d["inputs"]], shard_size=int(d["shard_size"]), coder=str(d["coder"]),
                   extractor=str(d.get("extractor", "")), published=d.get("published"),
                   detente_version=str(d.get("detente_version", "")), started_at=str(d.get("started_at", "")),
                   updated_at=d.get("updated_at"), complete=bool(d.get("complete")),
                   shard_count=d.get("shard_count"), shards={s.index: s for s in shards})


def read_manifest(directory: str | Path) -> Manifest | None:
    """The manifest of a batch directory; None when there is none. A damaged one is a BadOption."""
    path = Path(directory) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BadOption(f"cannot read {path}: {exc.strerror or exc}", "check the directory's permissions") from exc
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} manifest")
        return Manifest.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadOption(f"{path} is not a detente batch manifest ({exc})",
                        "give the --out directory of a detente batch run, or another directory") from exc
