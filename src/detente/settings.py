"""Every setting detente reads, as data: (name, default, help).

A setting comes from, in order: an explicit argument (CLI option or function keyword),
the environment variable ``DETENTE_<NAME>`` (upper case), else the default here. Every
setting is documented in the README; a test checks that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = ["SETTINGS", "Setting", "get_setting"]


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
    Setting("batch_size", 32, "Documents parsed per spaCy nlp.pipe batch."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def get_setting(name: str, explicit: Any = None) -> Any:
    """The value of setting ``name``: ``explicit`` if given, else the environment, else default."""
    setting = _BY_NAME[name]
    if explicit is not None:
        return explicit
    raw = os.environ.get(setting.env)
    if raw is not None and raw != "":
        return _coerce(raw, setting.default)
    return setting.default
