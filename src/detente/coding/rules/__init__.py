"""The coder's named rules: each a small function over a sentence context, registered under a
versioned name (as spaCy registers components), run by stage in registration order.

    @register("detente.target.dyad_partner.v1", Stage.TARGET)
    def dyad_partner(sc, trig, src): ...

Stages and what a rule of each receives and returns:

- ``TRIGGERS``: ``(sc, found) -> list[Trigger]``, more event words of the sentence (``found``: those
  earlier trigger rules found);
- ``SKIP``: ``(sc, trig) -> bool``, True drops the trigger (background, not news);
- ``SOURCE``: ``(sc, trig, target) -> Resolved | None``, a doer when the syntax names none;
- ``TARGET``: ``(sc, trig, source) -> Resolved | None``, a target when the syntax names none;
- ``STATEMENTS``: ``(sc, candidates) -> candidates``, PLOVER's conventions for what is said
  rather than done, and events a sentence carries without an event word;
- ``ALTERNATIVES``: ``(sc, candidate) -> list[Candidate]``, other readings of a candidate's actors
  (a doer from the context, a domestic target) for the learned scorer to weigh;
- ``EVENTS``: ``(sc, candidate, sources, targets) -> (candidate, sources, targets) | None``,
  how a candidate's actors become events (None drops it);
- ``DECIDE``: ``(sc, proposals) -> list[Event] | None``, which proposed events to report and with
  what confidence (the learned scorer); with none, every event the rules alone found is reported.

Every rule that fired is named in the event's ``rule`` text; ``detente eval --ablate NAME``
switches one off and reports what it contributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from ...errors import BadOption

__all__ = ["Rule", "RuleSet", "Stage", "all_rules", "register", "rule_set"]


class Stage(StrEnum):
    TRIGGERS = "triggers"
    SKIP = "skip"
    SOURCE = "source"
    TARGET = "target"
    STATEMENTS = "statements"
    ALTERNATIVES = "alternatives"
    EVENTS = "events"
    DECIDE = "decide"


@dataclass(frozen=True)
class Rule:
    name: str
    stage: Stage
    fn: Callable[..., Any]

    @property
    def doc(self) -> str:
        """The first sentence of the rule's docstring: what it does, in words."""
        text = " ".join((self.fn.__doc__ or "").split())
        end = text.find(". ")
        return text if end < 0 else text[:end + 1]


_REGISTRY: dict[str, Rule] = {}
F = TypeVar("F", bound=Callable[..., Any])


def register(name: str, stage: Stage) -> Callable[[F], F]:
    """Register ``fn`` as the rule ``name`` (``detente.<family>.<rule>.v<N>``) of ``stage``."""
    parts = name.split(".")
    if len(parts) != 4 or parts[0] != "detente" or not parts[3].startswith("v") or not parts[3][1:].isdigit():
        raise ValueError(f"rule name {name!r} is not of the form detente.<family>.<rule>.v<N>")

    def wrap(fn: F) -> F:
        if name in _REGISTRY and _REGISTRY[name].fn is not fn:
            raise ValueError(f"rule {name!r} is registered twice")
        _REGISTRY[name] = Rule(name, stage, fn)
        return fn

    return wrap


def _load() -> None:
    # the rule modules register on import, in this order (the order rules of a stage run in)
    from . import (  # late: the rule modules import register() from this package
        actors,  # noqa: F401
        alternatives,  # noqa: F401
        decide,  # noqa: F401
        events,  # noqa: F401
        statements,  # noqa: F401
        triggers,  # noqa: F401
    )


def all_rules() -> list[Rule]:
    """Every registered rule, by stage then in the order it runs."""
    _load()
    order = list(Stage)
    return sorted(_REGISTRY.values(), key=lambda r: order.index(r.stage))


def _match(name: str) -> list[Rule]:
    rules = all_rules()
    exact = [r for r in rules if r.name == name]
    if exact:
        return exact
    # "dyad_partner" or "target.dyad_partner" name a rule without its namespace and version
    return [r for r in rules if f".{name}." in f".{r.name.split('.', 1)[1]}"
            and name.count(".") <= 1 and (name == r.name.split(".")[2] or name == ".".join(r.name.split(".")[1:3]))]


@dataclass(frozen=True)
class RuleSet:
    """The rules a coder runs: all registered ones but those switched off."""

    disabled: frozenset[str] = frozenset()

    def of(self, stage: Stage) -> list[Rule]:
        return [r for r in all_rules() if r.stage == stage and r.name not in self.disabled]

    def on(self, name: str) -> bool:
        return name not in self.disabled


def resolve_rule_names(names: Iterable[str]) -> frozenset[str]:
    """Full rule names for names given by a user (full, or ``family.rule``, or ``rule``)."""
    out: set[str] = set()
    for name in names:
        found = _match(name.strip())
        if len(found) != 1:
            known = ", ".join(r.name for r in all_rules())
            what = "matches several rules" if found else "is not a rule"
            raise BadOption(f"'{name}' {what}", f"name one of: {known}")
        out.add(found[0].name)
    return frozenset(out)


def rule_set(disabled: Iterable[str] = ()) -> RuleSet:
    return RuleSet(resolve_rule_names(disabled))
