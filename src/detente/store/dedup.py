"""Near-duplicate articles (syndicated copies) and which of their events are the same event.

An article body becomes word 5-gram shingles; a datasketch MinHash of 128 permutations
(fixed seed, so signatures agree across processes and runs) estimates the Jaccard
similarity of two bodies. Locality-sensitive hashing splits the signature into 32 bands of
4 rows; each band's hash is stored in the database, so candidates are found by one indexed
query however many runs ago the first copy arrived. A candidate is a near-duplicate when
the estimated Jaccard similarity is at least ``NEAR_DUPLICATE_JACCARD``.

With 32 x 4 bands, a pair at similarity 0.6 becomes a candidate with probability 0.988, at
0.8 with probability 1 - 1e-9; the similarity check then removes the false candidates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Event

__all__ = [
    "BANDS",
    "NEAR_DUPLICATE_JACCARD",
    "NUM_PERM",
    "ROWS",
    "band_buckets",
    "estimated_jaccard",
    "match_events",
    "minhash_signature",
    "shingles",
]

NUM_PERM = 128
BANDS = 32
ROWS = 4
SHINGLE_WORDS = 5
NEAR_DUPLICATE_JACCARD = 0.6
# Two evidence sentences of the same event in two copies of a story may differ by a few
# words (an edit, a name spelled out); their word sets must still mostly agree.
SAME_SENTENCE_JACCARD = 0.6
_SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word ``size``-grams of the lower-cased text (the whole word list when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash_signature(text: str) -> np.ndarray:
    """The MinHash signature of a body, as ``NUM_PERM`` uint32 values."""
    from datasketch import MinHash

    sketch = MinHash(num_perm=NUM_PERM, seed=_SEED)
    sketch.update_batch(sorted(shingles(text)))
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


def signature_bytes(signature: np.ndarray) -> bytes:
    return np.asarray(signature, dtype=np.uint32).tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


def band_buckets(signature: np.ndarray) -> list[int]:
    """One bucket per band: the band number and its rows hashed to a signed 64-bit integer."""
    sig = np.asarray(signature, dtype=np.uint32)
    out = []
    for band in range(BANDS):
        rows = band.to_bytes(2, "big") + sig[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(rows, digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) != len(b) or len(a) == 0:
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def _words(sentence: str) -> set[str]:
    return set(_WORD.findall(sentence.lower()))


def sentence_similarity(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return len(wa & wb) / len(wa | wb)


def event_key(event: Event) -> tuple[object, ...]:
    """What must be equal for two reports to be the same event (the sentence is compared apart)."""
    return (event.source.code, event.target.code if event.target else "", event.type, event.mode,
            event.cameo, event.negated, event.hypothetical, event.future, event.reported)


@dataclass(frozen=True)
class KnownEvent:
    """An event already stored in the cluster (the story's first copy and its other copies)."""

    id: str
    key: tuple[object, ...]
    sentence: str


def match_events(new: Sequence[Event], known: Sequence[KnownEvent]) -> dict[str, str]:
    """Map ids of ``new`` events to the stored event each one reports again.

    An event whose id is already stored is that event. Otherwise it is the stored event with
    the same key and the most similar evidence sentence (word Jaccard >= 0.6); each stored
    event is matched at most once per article, so two distinct events in a copy never merge.
    """
    by_id = {k.id for k in known}
    taken: set[str] = set()
    matches: dict[str, str] = {}
    for event in new:
        if event.id in by_id and event.id not in taken:
            matches[event.id] = event.id
            taken.add(event.id)
    for event in new:
        if event.id in matches:
            continue
        key = event_key(event)
        best, best_score = None, SAME_SENTENCE_JACCARD
        for candidate in known:
            if candidate.id in taken or candidate.key != key:
                continue
            score = sentence_similarity(event.sentence, candidate.sentence)
            if score >= best_score:
                best, best_score = candidate.id, score
        if best is not None:
            matches[event.id] = best
            taken.add(best)
    return matches
