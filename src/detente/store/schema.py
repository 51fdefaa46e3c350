"""The store's schema as an ordered list of migrations.

A database records every migration applied to it in ``schema_version`` (with ``app =
'detente'``, which is how a detente database is told from any other DuckDB file). Opening
a database applies the missing migrations in one transaction; a database whose version is
newer than ``SCHEMA_VERSION`` is refused (``SchemaTooNew``) without being touched. Later
features (feed cursors, alert delivery state, batch shards) add tables by appending a
migration here, never by editing an applied one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["APP", "MIGRATIONS", "SCHEMA_VERSION", "Migration"]

APP = "detente"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        app VARCHAR NOT NULL,
        description VARCHAR,
        applied_at TIMESTAMP
    )""",
    # What ran, with which coder, when, and what it did; counters are updated in the same
    # transaction as each batch, so an interrupted run still tells what it committed.
    """CREATE TABLE runs (
        id VARCHAR PRIMARY KEY,
        command VARCHAR,
        sources VARCHAR,
        detente_version VARCHAR,
        coder VARCHAR,
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        status VARCHAR,
        documents_seen INTEGER DEFAULT 0,
        documents_new INTEGER DEFAULT 0,
        duplicates INTEGER DEFAULT 0,
        near_duplicates INTEGER DEFAULT 0,
        rejected INTEGER DEFAULT 0,
        events_stored INTEGER DEFAULT 0,
        mentions_added INTEGER DEFAULT 0
    )""",
    # One row per distinct input (sha256 of its bytes): re-ingesting it is a no-op.
    """CREATE TABLE documents (
        id VARCHAR PRIMARY KEY,
        doc_id VARCHAR,
        kind VARCHAR,
        uri VARCHAR,
        url VARCHAR,
        site VARCHAR,
        media_type VARCHAR,
        size BIGINT,
        fetched_at VARCHAR,
        outcome VARCHAR NOT NULL,
        reason VARCHAR,
        detail VARCHAR,
        article_id VARCHAR,
        canonical_id VARCHAR,
        similarity DOUBLE,
        run_id VARCHAR,
        stored_at TIMESTAMP
    )""",
    # One row per distinct article body; a syndicated copy points at the first copy through
    # canonical_id (itself for an original). minhash holds the signature (uint32 bytes).
    """CREATE TABLE articles (
        id VARCHAR PRIMARY KEY,
        document_id VARCHAR,
        doc_id VARCHAR,
        url VARCHAR,
        site VARCHAR,
        title VARCHAR,
        author VARCHAR,
        published DATE,
        language VARCHAR,
        text VARCHAR,
        dropped_lines VARCHAR[],
        canonical_id VARCHAR NOT NULL,
        similarity DOUBLE,
        minhash BLOB,
        run_id VARCHAR,
        stored_at TIMESTAMP
    )""",
    # MinHash LSH bands kept in the database, so a later run finds earlier copies with one
    # indexed lookup instead of rebuilding an index in memory. A bucket hashes the band
    # number with its rows, so one indexed column serves every band.
    """CREATE TABLE article_bands (
        bucket BIGINT NOT NULL,
        article_id VARCHAR NOT NULL
    )""",
    "CREATE INDEX article_bands_bucket ON article_bands (bucket)",
    """CREATE TABLE events (
        id VARCHAR PRIMARY KEY,
        article_id VARCHAR NOT NULL,
        doc_id VARCHAR,
        cluster_id VARCHAR NOT NULL,
        sentence_index INTEGER,
        span_start INTEGER,
        span_end INTEGER,
        sentence VARCHAR,
        source_code VARCHAR NOT NULL,
        source_country VARCHAR,
        source_sector VARCHAR,
        source_text VARCHAR,
        source_name VARCHAR,
        target_code VARCHAR,
        target_country VARCHAR,
        target_sector VARCHAR,
        target_text VARCHAR,
        target_name VARCHAR,
        type VARCHAR NOT NULL,
        mode VARCHAR,
        cameo VARCHAR,
        goldstein DOUBLE,
        quad_class TINYINT,
        event_date DATE,
        negated BOOLEAN,
        hypothetical BOOLEAN,
        future BOOLEAN,
        historical BOOLEAN,
        confidence DOUBLE,
        coder VARCHAR,
        rule VARCHAR,
        url VARCHAR,
        is_root BOOLEAN,
        run_id VARCHAR,
        stored_at TIMESTAMP
    )""",
    "CREATE INDEX events_cluster ON events (cluster_id)",
    # One row per report of an event: the original article and every syndicated copy.
    # GDELT's NumMentions / NumArticles / NumSources are counted from here.
    """CREATE TABLE mentions (
        event_id VARCHAR NOT NULL,
        document_id VARCHAR NOT NULL,
        article_id VARCHAR NOT NULL,
        doc_id VARCHAR,
        sentence_index INTEGER,
        span_start INTEGER,
        span_end INTEGER,
        sentence VARCHAR,
        site VARCHAR,
        url VARCHAR,
        confidence DOUBLE,
        run_id VARCHAR,
        stored_at TIMESTAMP,
        PRIMARY KEY (event_id, document_id)
    )""",
    "CREATE INDEX mentions_article ON mentions (article_id)",
    # A document whose site is unknown counts as a source of its own.
    """CREATE VIEW event_counts AS
        SELECT event_id,
               count(*) AS num_mentions,
               count(DISTINCT document_id) AS num_articles,
               count(DISTINCT coalesce(site, 'document:' || document_id)) AS num_sources
        FROM mentions GROUP BY event_id""",
    # Dyad keys: the country, except for international bodies, which keep their own code
    # (IGONATO and IGOUNO are different actors, though both have country IGO).
    """CREATE VIEW dyad_events AS
        SELECT *,
               CASE WHEN coalesce(source_country, '') IN ('', 'IGO', 'NGO') THEN source_code
                    ELSE source_country END AS source_key,
               CASE WHEN target_code IS NULL THEN NULL
                    WHEN coalesce(target_country, '') IN ('', 'IGO', 'NGO') THEN target_code
                    ELSE target_country END AS target_key,
               NOT (coalesce(negated, false) OR coalesce(hypothetical, false) OR coalesce(future, false))
                   AS is_real
        FROM events""",
)

# `detente watch` (detente.watch): where each feed stands, every item it has listed, and which
# alert went to which sink. An item turns "stored" in the same transaction that stores its
# article, so a watcher killed at any moment neither loses nor repeats an item.
_V2_WATCH = (
    """CREATE TABLE watch_feeds (
        url VARCHAR PRIMARY KEY,
        etag VARCHAR,
        last_modified VARCHAR,
        title VARCHAR,
        status VARCHAR,
        reason VARCHAR,
        detail VARCHAR,
        items_listed INTEGER DEFAULT 0,
        polled_at TIMESTAMP,
        changed_at TIMESTAMP
    )""",
    "CREATE SEQUENCE watch_item_seq",
    # status: pending (to fetch and store), stored (outcome says how), failed (gave up; reason).
    """CREATE TABLE watch_items (
        feed_url VARCHAR NOT NULL,
        item_key VARCHAR NOT NULL,
        seq BIGINT NOT NULL DEFAULT nextval('watch_item_seq'),
        link VARCHAR,
        title VARCHAR,
        published DATE,
        inline_html VARCHAR,
        status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason VARCHAR,
        detail VARCHAR,
        document_id VARCHAR,
        outcome VARCHAR,
        run_id VARCHAR,
        first_seen TIMESTAMP,
        updated_at TIMESTAMP,
        PRIMARY KEY (feed_url, item_key)
    )""",
    "CREATE INDEX watch_items_status ON watch_items (status, feed_url, seq)",
    # The alert as first delivered: a retry sends the very same body.
    """CREATE TABLE watch_alerts (
        id VARCHAR PRIMARY KEY,
        source VARCHAR,
        target VARCHAR,
        period DATE,
        freq VARCHAR,
        payload VARCHAR NOT NULL,
        first_seen TIMESTAMP
    )""",
    # status: pending, sending (an attempt may have reached the sink), delivered, failed.
    """CREATE TABLE watch_deliveries (
        alert_id VARCHAR NOT NULL,
        sink VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error VARCHAR,
        updated_at TIMESTAMP,
        delivered_at TIMESTAMP,
        PRIMARY KEY (alert_id, sink)
    )""",
    """CREATE TABLE watch_state (
        name VARCHAR PRIMARY KEY,
        value VARCHAR
    )""",
)

# When and where (issue 13): each event's date precision and source, its place resolved against
# GeoNames, and the `reported` flag (a claim inside someone's speech, never counted as an event
# that happened, like negated/hypothetical/future). The view is made again so is_real knows it.
_V3_WHEN_WHERE = (
    "ALTER TABLE events ADD COLUMN date_precision VARCHAR",
    "ALTER TABLE events ADD COLUMN date_source VARCHAR",
    "ALTER TABLE events ADD COLUMN reported BOOLEAN DEFAULT false",
    "ALTER TABLE events ADD COLUMN place VARCHAR",
    "ALTER TABLE events ADD COLUMN place_country VARCHAR",
    "ALTER TABLE events ADD COLUMN place_admin1 VARCHAR",
    "ALTER TABLE events ADD COLUMN lat DOUBLE",
    "ALTER TABLE events ADD COLUMN lon DOUBLE",
    "ALTER TABLE events ADD COLUMN geo_precision VARCHAR",
    "ALTER TABLE events ADD COLUMN geonames_id BIGINT",
    """CREATE OR REPLACE VIEW dyad_events AS
        SELECT *,
               CASE WHEN coalesce(source_country, '') IN ('', 'IGO', 'NGO') THEN source_code
                    ELSE source_country END AS source_key,
               CASE WHEN target_code IS NULL THEN NULL
                    WHEN coalesce(target_country, '') IN ('', 'IGO', 'NGO') THEN target_code
                    ELSE target_country END AS target_key,
               NOT (coalesce(negated, false) OR coalesce(hypothetical, false) OR coalesce(future, false)
                    OR coalesce(reported, false)) AS is_real
        FROM events""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, articles, MinHash bands, events, mentions, runs", _V1),
    Migration(2, "watch: feed cursors, feed items, alert deliveries", _V2_WATCH),
    Migration(3, "events: date precision and source, place (GeoNames), reported flag", _V3_WHEN_WHERE),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
