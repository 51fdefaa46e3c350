"""Coders by versioned name, as spaCy registers its components: ``detente.rules.v2`` is detente's own.

A coder is a function shaped like ``code_documents``: ``(docs, *, batch_size, published)`` ->
``(article or rejection, events)`` for each document, in input order. Every event it makes
records the coder's name (``Event.coder``), and a batch's manifest records it too, so a
stored event can always be traced to what made it.

    @register_coder("detente.rules.v2")
    def code_documents(docs, *, batch_size=32, published=None): ...

    name, code = get_coder()          # the ``coder`` setting (DETENTE_CODER), else detente.rules.v2

Another coder (a new rule set, a model under test, the tests' marker coder) registers under
a name of its own in the module that defines it; importing that module makes it available.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..errors import BadOption
from ..model import Article, Event, Rejected
from ..settings import get_setting

__all__ = ["DEFAULT_CODER", "CodeFn", "coder_names", "get_coder", "register_coder"]

# detente's own coder (``coding.CODER_NAME``, the ``coder`` setting's default; a test checks all three agree).
DEFAULT_CODER = "detente.rules.v2"

CodeFn = Callable[..., Iterable[tuple[Article | Rejected, list[Event]]]]
F = TypeVar("F", bound=Callable[..., Any])

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.v[0-9]+$")
_CODERS: dict[str, CodeFn] = {}


def register_coder(name: str) -> Callable[[F], F]:
    """Register ``fn`` as the coder ``name`` (``<namespace>.<coder>.v<N>``, e.g. ``detente.rules.v2``)."""
    if not _NAME.match(name):
        raise ValueError(f"coder name {name!r} is not of the form <namespace>.<coder>.v<N>")

    def wrap(fn: F) -> F:
        if name in _CODERS and _CODERS[name] is not fn:
            raise ValueError(f"coder {name!r} is registered twice")
        _CODERS[name] = fn
        return fn

    return wrap


def coder_names() -> list[str]:
    """The registered coders' names, sorted."""
    return sorted(_CODERS)


def get_coder(name: str | None = None) -> tuple[str, CodeFn]:
    """The coder registered as ``name`` (default: the ``coder`` setting), as (name, function).

    Raises ``BadOption`` naming the registered coders when there is none by that name."""
    wanted = str(get_setting("coder", name))
    try:
        return wanted, _CODERS[wanted]
    except KeyError:
        raise BadOption(f"no coder is registered as {wanted[:80]!r}",
                        f"set DETENTE_CODER to one of: {', '.join(coder_names())}") from None
