"""Every setting detente reads, as data: (name, default, help).

A setting comes from, in order: an explicit argument (CLI option or function keyword),
the environment variable ``DETENTE_<NAME>`` (upper case), else the default here. Every
setting is documented in the README; a test checks that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .errors import BadOption

__all__ = ["MAX_BATCH_SIZE", "SETTINGS", "Setting", "check_range", "get_setting"]

# Largest --batch-size: a batch is held in memory and written in one transaction.
MAX_BATCH_SIZE = 10_000


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "DETENTE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "detente.duckdb", "Path of the embedded DuckDB event store."),
    Setting("token", None, "Bearer token that enables the REST API's write endpoints."),
    Setting("max_bytes", 10 * 1024 * 1024, "Largest document (file or fetched body) read, in bytes."),
    Setting("connect_timeout", 5.0, "Seconds to wait for a TCP connection when fetching a URL."),
    Setting("fetch_timeout", 20.0, "Seconds a whole URL fetch may take, redirects included."),
    Setting("max_redirects", 5, "Redirects followed per URL; each target is re-checked by the SSRF guard."),
    Setting("allow_private", False, "Fetch hosts on loopback/private networks (only for trusted local servers)."),
    Setting("min_chars", 25, "Shortest article body kept, in characters (shorter is rejected as too_short)."),
    Setting("coder", "detente.rules.v2", "Registered name of the coder that codes events (detente.rules.v2 is "
                                         "detente's own; another coder registers a name of its own)."),
    Setting("batch_size", 32, "Documents parsed per spaCy nlp.pipe batch."),
    Setting("max_tokens", 100_000, "Longest article parsed, in spaCy tokens (about 600 kB of English text, ten "
                                   "times a long feature); a longer one is rejected as too_long."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: str) -> Any:
    default = setting.default
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(value)
            return number
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise BadOption(f"{setting.env}={value[:40]!r} is not {kind}",
                        f"set {setting.env} to {kind} such as {default}, or unset it") from None
    return value


def check_range(what: str, value: int | float, low: int | float, high: int | float) -> None:
    """Raise ``BadOption`` unless ``low <= value <= high`` (``what`` names the option, e.g. ``--workers``)."""
    if not low <= value <= high:
        raise BadOption(f"{what} {str(value)[:40]} is out of range", f"give {what} from {low:,} to {high:,}")


def get_setting(name: str, explicit: Any = None) -> Any:
    """The value of setting ``name``: ``explicit`` if given, else the environment, else default."""
    setting = _BY_NAME[name]
    if explicit is not None:
        return explicit
    raw = os.environ.get(setting.env)
    if raw is not None and raw != "":
        return _coerce(setting, raw)
    return setting.default
