"""Actors: gazetteers (countries, capitals, seats, groups, IGOs, titles, leaders) and the resolver.

    from detente.actors import get_resolver
    resolver = get_resolver()
    resolver.resolve(tokens, start, end, on=date(2021, 4, 15))  # -> [Actor(code="RUSGOV", ...)]

Data files and their sources are described in ``detente/actors/data/README.md``.
"""

from __future__ import annotations

from .resolver import ActorResolver, Mention, get_resolver
from .tables import Office
from .text import tokenize

__all__ = ["ActorResolver", "Mention", "Office", "get_resolver", "tokenize"]
