"""The escalation summary: top dyads, reciprocity chains and alerts in one record (``detente summary``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..model import Alert, ReciprocityChain
from ..store import Store, StoreStats
from .alerts import find_alerts
from .dyads import DyadStat, top_dyads
from .reciprocity import DEFAULT_WINDOW, all_reciprocity
from .series import resolve_freq

__all__ = ["EscalationSummary", "escalation_summary"]


@dataclass(frozen=True)
class EscalationSummary:
    freq: str
    stats: StoreStats
    most_active: tuple[DyadStat, ...]
    most_escalating: tuple[DyadStat, ...]
    chains: tuple[ReciprocityChain, ...]
    alerts: tuple[Alert, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "freq": self.freq,
            "stats": self.stats.to_dict(),
            "most_active": [d.to_dict() for d in self.most_active],
            "most_escalating": [d.to_dict() for d in self.most_escalating],
            "chains": [c.to_dict() for c in self.chains],
            "alerts": [a.to_dict() for a in self.alerts],
        }


def escalation_summary(store: Store, *, limit: int = 5, freq: str = "auto",
                       window: str | int | timedelta = DEFAULT_WINDOW) -> EscalationSummary:
    """What ``make demo`` prints: the busiest and the most escalating dyads, the longest
    reciprocity chains, and the alerts over the whole history in the store, newest first."""
    freq = resolve_freq(store, freq)
    first = store.scalar("SELECT min(event_date) FROM dyad_events WHERE is_real")
    # Only dyads above their own baseline are "escalating"; a calm or calming dyad is not listed.
    escalating = [d for d in top_dyads(store, by="escalation", limit=limit, freq=freq) if d.escalating]
    return EscalationSummary(
        freq=freq,
        stats=store.stats(),
        most_active=tuple(top_dyads(store, by="events", limit=limit, freq=freq)),
        most_escalating=tuple(escalating),
        chains=tuple(all_reciprocity(store, window=window, limit=limit)),
        alerts=tuple(find_alerts(store, freq=freq, since=first)) if first else (),
    )
