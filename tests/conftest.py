"""Shared fixtures. Tests that read ../shared skip cleanly when it is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when that file is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available")
    return path


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture
def fake_coder(monkeypatch: pytest.MonkeyPatch) -> str:
    """Code with the marker coder of ``store_support`` (no spaCy): its registered name."""
    from tests.store_support import CODER

    monkeypatch.setenv("DETENTE_CODER", CODER)
    return CODER


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty store in memory, closed after the test."""
    with open_store(":memory:") as opened:
        yield opened


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow and browser tests first, each group in collection order. `make test` hands
    whole modules (and classes) to two pytest-xdist workers in this order (--dist loadscope
    --no-loadscope-reorder): the long jobs start first, and the many short ones fill the end
    evenly, instead of a few long modules running last while the other worker has nothing left."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("slow") or item.get_closest_marker("browser") else 1)
