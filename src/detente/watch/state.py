"""The watcher's memory, in the store: feed cursors, listed items, alert deliveries.

The only module that knows the ``watch_*`` tables (migration 2 in ``store/schema.py``).
Reads go through a cursor; writes take a ``StoreWriter``'s connection, so they join the
transaction that stores articles when they must (an item becomes ``stored`` in the same
commit as its article and events: a kill at any point leaves either both or neither).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..ingest.feeds import FeedItem
from ..store import Store
from ..store.rows import now_utc

__all__ = [
    "DeliveryRow",
    "FeedCursor",
    "PendingItem",
    "add_items",
    "alert_payloads",
    "deliveries_to_send",
    "feed_cursor",
    "get_value",
    "item_counts",
    "mark_delivery",
    "mark_items",
    "pending_items",
    "record_alerts",
    "record_feed_failure",
    "record_feed_poll",
    "set_value",
]


@dataclass(frozen=True)
class FeedCursor:
    """Where a feed stood after its last successful poll (for a conditional request)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class PendingItem:
    """An item still to be stored (its page not yet fetched, or a failed fetch to retry)."""

    feed_url: str
    key: str
    seq: int
    link: str | None
    title: str | None
    published: date | None
    attempts: int

    def as_feed_item(self, inline: str | None = None) -> FeedItem:
        return FeedItem(key=self.key, link=self.link, title=self.title, published=self.published, inline=inline)


@dataclass(frozen=True)
class DeliveryRow:
    alert_id: str
    sink: str
    status: str
    attempts: int
    payload: str


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cur = store.cursor()
    try:
        return list(cur.execute(sql, list(params)).fetchall())
    finally:
        cur.close()


# ---- feeds ---------------------------------------------------------------------------------------

def feed_cursor(store: Store, url: str) -> FeedCursor:
    rows = _rows(store, "SELECT etag, last_modified FROM watch_feeds WHERE url = ?", [url])
    if not rows:
        return FeedCursor(url)
    return FeedCursor(url, etag=rows[0][0], last_modified=rows[0][1])


def _upsert_feed(con: Any, url: str) -> None:
    con.execute("INSERT INTO watch_feeds (url) VALUES (?) ON CONFLICT DO NOTHING", [url]).fetchall()


def record_feed_poll(con: Any, url: str, *, status: str, etag: str | None = None, last_modified: str | None = None,
                     title: str | None = None, detail: str = "") -> None:
    """A poll that worked: ``changed`` (new cursor saved) or ``not_modified`` (cursor kept)."""
    _upsert_feed(con, url)
    now = now_utc()
    if status == "changed":
        con.execute("""UPDATE watch_feeds SET etag = ?, last_modified = ?, title = coalesce(?, title), status = ?,
                       reason = NULL, detail = ?, polled_at = ?, changed_at = ? WHERE url = ?""",
                    [etag, last_modified, title, status, detail or None, now, now, url]).fetchall()
    else:
        con.execute("UPDATE watch_feeds SET status = ?, reason = NULL, detail = ?, polled_at = ? WHERE url = ?",
                    [status, detail or None, now, url]).fetchall()


def record_feed_failure(con: Any, url: str, *, reason: str, detail: str) -> None:
    """A poll that failed: the cursor is kept, so the next poll asks the same question again."""
    _upsert_feed(con, url)
    con.execute("UPDATE watch_feeds SET status = 'failed', reason = ?, detail = ?, polled_at = ? WHERE url = ?",
                [reason, detail, now_utc(), url]).fetchall()


# ---- items ---------------------------------------------------------------------------------------

def add_items(con: Any, feed_url: str, items: Sequence[FeedItem]) -> int:
    """List the feed's items not seen before as ``pending``; returns how many were new.

    Runs inside the transaction that saves the feed's new cursor: if the process dies
    before the commit, neither is saved and the next poll sees the items again.
    """
    if not items:
        return 0
    import pyarrow as pa

    before = int(con.execute("SELECT count(*) FROM watch_items WHERE feed_url = ?", [feed_url]).fetchall()[0][0])
    now = now_utc()
    table = pa.table({
        "item_key": [i.key for i in items],
        "link": [i.link for i in items],
        "title": [i.title for i in items],
        "published": pa.array([i.published for i in items], type=pa.date32()),
        "inline_html": [i.inline for i in items],
        "position": list(range(len(items))),
    })
    view = "_detente_watch_new_items"
    con.register(view, table)
    try:
        # Feed order is kept (seq grows with position) so items are stored in the order listed.
        con.execute(f"""INSERT INTO watch_items (feed_url, item_key, link, title, published, inline_html, status,
                                                 attempts, first_seen, updated_at)
                        SELECT ?, n.item_key, n.link, n.title, n.published, n.inline_html, 'pending', 0, ?, ?
                        FROM {view} n
                        WHERE NOT EXISTS (SELECT 1 FROM watch_items w WHERE w.feed_url = ? AND w.item_key = n.item_key)
                        ORDER BY n.position""", [feed_url, now, now, feed_url]).fetchall()
    finally:
        con.unregister(view)
    after = int(con.execute("SELECT count(*) FROM watch_items WHERE feed_url = ?", [feed_url]).fetchall()[0][0])
    con.execute("UPDATE watch_feeds SET items_listed = ? WHERE url = ?", [after, feed_url]).fetchall()
    return after - before


def pending_items(store: Store, feed_url: str, *, max_attempts: int, page_size: int = 256
                  ) -> Iterator[PendingItem]:
    """The feed's pending items in listing order, read a page at a time (bounded memory)."""
    last = -1
    while True:
        rows = _rows(store, f"""SELECT item_key, seq, link, title, published, attempts FROM watch_items
                                WHERE feed_url = ? AND status = 'pending' AND attempts < ? AND seq > ?
                                ORDER BY seq LIMIT {int(page_size)}""", [feed_url, max_attempts, last])
        if not rows:
            return
        for key, seq, link, title, published, attempts in rows:
            yield PendingItem(feed_url, key, int(seq), link, title, published, int(attempts))
        last = int(rows[-1][1])


def inline_html(store: Store, feed_url: str, key: str) -> str | None:
    rows = _rows(store, "SELECT inline_html FROM watch_items WHERE feed_url = ? AND item_key = ?", [feed_url, key])
    return rows[0][0] if rows else None


def count_pending(store: Store, feed_url: str, *, max_attempts: int) -> int:
    return int(_rows(store, "SELECT count(*) FROM watch_items WHERE feed_url = ? AND status = 'pending' "
                            "AND attempts < ?", [feed_url, max_attempts])[0][0])


@dataclass(frozen=True)
class ItemUpdate:
    """What became of one item in this batch (applied in the batch's transaction)."""

    feed_url: str
    key: str
    status: str  # stored, pending (try again), failed (given up)
    outcome: str | None = None
    reason: str | None = None
    detail: str | None = None
    document_id: str | None = None
    attempted: bool = True


_MARK_ROW = "(" + ", ".join(["?::VARCHAR"] * 7 + ["?::INTEGER", "?::VARCHAR"]) + ")"
_MARK_CHUNK = 200  # rows per statement


def mark_items(con: Any, updates: Sequence[ItemUpdate], *, run_id: str | None) -> None:
    """Apply ``updates`` inside the caller's transaction (the one that stores their articles): one
    statement per 200 items (a batch's round trips to the database were a tenth of a feed's time);
    an item named twice is updated once per mention, in order."""
    now = now_utc()
    rows = [(u.feed_url, u.key, u.status, u.outcome, u.reason, u.detail, u.document_id, int(u.attempted),
             run_id if u.status == "stored" else None) for u in updates]
    if len({(r[0], r[1]) for r in rows}) < len(rows):
        chunks = [[row] for row in rows]
    else:
        chunks = [rows[k:k + _MARK_CHUNK] for k in range(0, len(rows), _MARK_CHUNK)]
    for chunk in chunks:
        values = ", ".join([_MARK_ROW] * len(chunk))
        con.execute(f"""UPDATE watch_items AS w SET status = u.status, outcome = u.outcome, reason = u.reason,
                               detail = u.detail, document_id = coalesce(u.document_id, w.document_id),
                               attempts = w.attempts + u.attempted, run_id = coalesce(u.run_id, w.run_id),
                               updated_at = ?,
                               inline_html = CASE WHEN u.status = 'stored' THEN NULL ELSE w.inline_html END
                        FROM (VALUES {values}) AS u(feed_url, item_key, status, outcome, reason, detail,
                                                    document_id, attempted, run_id)
                        WHERE w.feed_url = u.feed_url AND w.item_key = u.item_key""",
                    [now, *(value for row in chunk for value in row)]).fetchall()


def item_counts(store: Store, feed_url: str | None = None) -> dict[str, int]:
    """Items per status (all feeds, or one)."""
    where, params = ("WHERE feed_url = ?", [feed_url]) if feed_url else ("", [])
    return {str(s): int(n) for s, n in _rows(
        store, f"SELECT status, count(*) FROM watch_items {where} GROUP BY status ORDER BY status", params)}


# ---- alerts and deliveries -----------------------------------------------------------------------

def record_alerts(con: Any, alerts: Sequence[tuple[str, str, str, date, str, str]], sinks: Sequence[str]) -> int:
    """Remember alerts not seen before (id, source, target, period, freq, payload JSON) and give each
    sink a ``pending`` delivery of every alert it has not had yet; returns how many alerts were new."""
    new = 0
    now = now_utc()
    for alert_id, source, target, period, freq, payload in alerts:
        known = con.execute("SELECT count(*) FROM watch_alerts WHERE id = ?", [alert_id]).fetchall()[0][0]
        if not known:
            con.execute("INSERT INTO watch_alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [alert_id, source, target, period, freq, payload, now]).fetchall()
            new += 1
        for sink in sinks:
            con.execute("""INSERT INTO watch_deliveries (alert_id, sink, status, attempts, updated_at)
                           VALUES (?, ?, 'pending', 0, ?) ON CONFLICT DO NOTHING""", [alert_id, sink, now]).fetchall()
    return new


def deliveries_to_send(store: Store, sink: str, *, max_attempts: int) -> list[DeliveryRow]:
    """This sink's deliveries not yet made (``sending`` ones first: an attempt a crash cut short)."""
    rows = _rows(store, """SELECT d.alert_id, d.sink, d.status, d.attempts, a.payload
                           FROM watch_deliveries d JOIN watch_alerts a ON a.id = d.alert_id
                           WHERE d.sink = ? AND d.status IN ('pending', 'sending') AND d.attempts < ?
                           ORDER BY d.status = 'sending' DESC, a.first_seen, a.period, a.id""", [sink, max_attempts])
    return [DeliveryRow(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]


def mark_delivery(con: Any, alert_id: str, sink: str, status: str, *, attempts: int = 0,
                  error: str | None = None) -> None:
    now = now_utc()
    con.execute("""UPDATE watch_deliveries SET status = ?, attempts = attempts + ?, last_error = ?, updated_at = ?,
                          delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
                   WHERE alert_id = ? AND sink = ?""",
                [status, attempts, error, now, status, now, alert_id, sink]).fetchall()


def alert_payloads(store: Store, sink: str, status: str = "delivered") -> list[str]:
    """Alert ids with this delivery status for ``sink`` (for reports and tests)."""
    return [r[0] for r in _rows(store, "SELECT alert_id FROM watch_deliveries WHERE sink = ? AND status = ? "
                                       "ORDER BY alert_id", [sink, status])]


# ---- small named values --------------------------------------------------------------------------

def get_value(store: Store, name: str) -> str | None:
    rows = _rows(store, "SELECT value FROM watch_state WHERE name = ?", [name])
    return rows[0][0] if rows else None


def set_value(con: Any, name: str, value: str) -> None:
    con.execute("INSERT INTO watch_state VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [name, value]).fetchall()
