#include "storage/postgresql/migrations.h"

#include <pqxx/transaction>
#include <string>

namespace spinlog::storage::pg {
namespace {

// Names are bytea: they may hold any byte (NUL included), and bytea
// compares bytewise, the order of Store's seeks by name. Ids are bigint to
// hold every uint32. Times are bigint microseconds (every int64, far beyond
// timestamptz's range).
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE spinlog_meta (
  name text PRIMARY KEY,
  value text NOT NULL
);

-- The last id handed out per kind. Creating a record locks its kind's row,
-- so ids are dense and never handed out twice, across nodes.
CREATE TABLE id_counters (
  kind text PRIMARY KEY,
  last_id bigint NOT NULL
);
INSERT INTO id_counters (kind, last_id)
  VALUES ('channel', 0), ('performer', 0), ('song', 0), ('channel_group', 0);

CREATE TABLE channels (
  id bigint PRIMARY KEY,
  name bytea NOT NULL UNIQUE,
  country text NOT NULL DEFAULT '',
  audience bigint NOT NULL DEFAULT -1
);

CREATE TABLE performers (
  id bigint PRIMARY KEY,
  name bytea NOT NULL UNIQUE
);

CREATE TABLE songs (
  id bigint PRIMARY KEY,
  performer_id bigint NOT NULL REFERENCES performers (id),
  title bytea NOT NULL,
  UNIQUE (performer_id, title)
);

CREATE TABLE channel_groups (
  id bigint PRIMARY KEY,
  name bytea NOT NULL UNIQUE,
  channels bigint[] NOT NULL
);

-- One airing of a song on a channel over [start_us, end_us). The primary
-- key is the idempotency rule: one play per (channel, start). Partitioned
-- by month of start (partitions made on demand, named plays_YYYY_MM), with
-- catch-alls for times before 1900 and from 3000 on.
CREATE TABLE plays (
  channel_id bigint NOT NULL,
  start_us bigint NOT NULL,
  end_us bigint NOT NULL,
  song_id bigint NOT NULL,
  PRIMARY KEY (channel_id, start_us)
) PARTITION BY RANGE (start_us);
-- Plays of a song over time, in (start, channel) order.
CREATE INDEX plays_by_song ON plays (song_id, start_us, channel_id);
CREATE TABLE plays_before_1900 PARTITION OF plays
  FOR VALUES FROM (MINVALUE) TO (-2208988800000000);
CREATE TABLE plays_from_3000 PARTITION OF plays
  FOR VALUES FROM (32503680000000000) TO (MAXVALUE);

-- The UTC day (days since 1970-01-01) of a time: floor division, exact for
-- every bigint.
CREATE FUNCTION spinlog_day(t bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN t >= 0 THEN t / 86400000000
                    ELSE -((-(t + 1)) / 86400000000) - 1 END $$;

-- Plays per (channel, day, song), written in the statement that writes the
-- plays, so that charts start from these without reading every play.
CREATE TABLE daily_counts (
  channel_id bigint NOT NULL,
  day bigint NOT NULL,
  song_id bigint NOT NULL,
  plays bigint NOT NULL,
  PRIMARY KEY (channel_id, day, song_id)
);
)sql";

// The plays that each insert statement created, for the in-memory charts of
// the other nodes (PostgresStore::PollForeignPlays). A reader takes the rows
// committed between two snapshots of its own: txid is the inserting
// transaction, compared with pg_visible_in_snapshot, so rows that commit out
// of seq order are neither missed nor taken twice. Rows are deleted after
// an hour.
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE play_feed (
  seq bigserial PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  node bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  channels bigint[] NOT NULL,
  starts bigint[] NOT NULL,
  ends bigint[] NOT NULL,
  songs bigint[] NOT NULL
);
CREATE INDEX play_feed_by_txid ON play_feed (txid);
CREATE INDEX play_feed_by_time ON play_feed (created_at);
)sql";

// Storage format 3 (issue 7): every field of the records, the indexes the
// seeks by title and country read, what merges leave behind, and the
// catalogue feed.
//
// - Free text a client may fill with any character (a performer's
//   description) is bytea, like names; formats the domain checks (country,
//   dates, ISRC, URLs) and a channel's attributes (canonical JSON text, kept
//   exactly as given: never jsonb, which would re-serialise it) are text.
// - merged_songs and merged_performers map a merged id to the record it was
//   folded into (chains kept flat), so that a play or song resolved before
//   a merge, on any node, lands on the target.
// - catalogue_feed, like play_feed: what each update, deletion and merge
//   changed, for the other nodes' caches and charts.
// - spinlog_insert_plays: the play insert of every node. It holds the play
//   lock shared (deletions and merges of channels and songs hold it
//   exclusively), redirects merged songs, refuses plays of deleted records,
//   writes plays, daily counts and play feed, and answers what is stored at
//   each key. A plpgsql function, so each of its statements sees what
//   committed before the lock was granted.
constexpr char kSchemaV3[] = R"sql(
ALTER TABLE channels ADD COLUMN attributes text NOT NULL DEFAULT '';
ALTER TABLE performers
  ADD COLUMN country text NOT NULL DEFAULT '',
  ADD COLUMN description bytea NOT NULL DEFAULT '',
  ADD COLUMN date_of_birth text NOT NULL DEFAULT '',
  ADD COLUMN website text NOT NULL DEFAULT '',
  ADD COLUMN picture_url text NOT NULL DEFAULT '';
ALTER TABLE songs
  ADD COLUMN duration_seconds bigint NOT NULL DEFAULT 0,
  ADD COLUMN release text NOT NULL DEFAULT '',
  ADD COLUMN isrc text NOT NULL DEFAULT '';

-- Seeks: songs by (title, id) across performers; channels and performers of
-- a country by name.
CREATE INDEX songs_by_title ON songs (title, id);
CREATE INDEX channels_by_country ON channels (country, name) WHERE country <> '';
CREATE INDEX performers_by_country ON performers (country, name) WHERE country <> '';

CREATE TABLE merged_songs (
  from_id bigint PRIMARY KEY,
  into_id bigint NOT NULL
);
CREATE TABLE merged_performers (
  from_id bigint PRIMARY KEY,
  into_id bigint NOT NULL
);

-- kind: channel, performer or song; change: updated, deleted or merged
-- (into_id: the record it was merged into).
CREATE TABLE catalogue_feed (
  seq bigserial PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  node bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  change text NOT NULL,
  id bigint NOT NULL,
  into_id bigint NOT NULL DEFAULT 0
);
CREATE INDEX catalogue_feed_by_txid ON catalogue_feed (txid);
CREATE INDEX catalogue_feed_by_time ON catalogue_feed (created_at);

-- Plays, at most one per (channel, start) in the arrays. Answers one row
-- per play: its index (from 0), whether it was created, the end and song
-- stored at its key, and its own song after merges; or, when a play names a deleted channel or song,
-- only that play's index with created NULL, and nothing is written.
CREATE FUNCTION spinlog_insert_plays(p_channels bigint[], p_starts bigint[], p_ends bigint[],
                                     p_songs bigint[], p_node bigint)
  RETURNS TABLE (r_index bigint, r_created boolean, r_end bigint, r_song bigint,
                 r_input_song bigint)
  LANGUAGE plpgsql
  -- Planned on every call: a plan cached while the tables were small
  -- (generic plans take over after five calls) would keep scanning them
  -- whole once they are large.
  SET plan_cache_mode = force_custom_plan
  AS $fn$
DECLARE
  v_bad bigint;
  v_created_channels bigint[];
  v_created_starts bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7310312799105136);
  SELECT min(i.n) INTO v_bad
  FROM unnest(p_channels, p_songs) WITH ORDINALITY AS i (channel_id, song_id, n)
  LEFT JOIN merged_songs m ON m.from_id = i.song_id
  WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.id = i.channel_id)
     OR NOT EXISTS (SELECT 1 FROM songs s WHERE s.id = coalesce(m.into_id, i.song_id));
  IF v_bad IS NOT NULL THEN
    RETURN QUERY SELECT v_bad - 1, NULL::boolean, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  -- Inserted in key order: concurrent batches lock keys in one order.
  WITH input (channel_id, start_us, end_us, song_id) AS (
    SELECT i.channel_id, i.start_us, i.end_us, coalesce(m.into_id, i.song_id)
    FROM unnest(p_channels, p_starts, p_ends, p_songs) AS i (channel_id, start_us, end_us, song_id)
    LEFT JOIN merged_songs m ON m.from_id = i.song_id),
  created AS (
    INSERT INTO plays (channel_id, start_us, end_us, song_id)
    SELECT channel_id, start_us, end_us, song_id FROM input ORDER BY channel_id, start_us
    ON CONFLICT (channel_id, start_us) DO NOTHING
    RETURNING channel_id, start_us, end_us, song_id),
  counted AS (
    INSERT INTO daily_counts AS d (channel_id, day, song_id, plays)
    SELECT channel_id, spinlog_day(start_us), song_id, count(*) FROM created
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (channel_id, day, song_id) DO UPDATE SET plays = d.plays + excluded.plays),
  fed AS (
    INSERT INTO play_feed (node, channels, starts, ends, songs)
    SELECT p_node, array_agg(c.channel_id), array_agg(c.start_us), array_agg(c.end_us),
           array_agg(c.song_id)
    FROM created c HAVING count(*) > 0)
  SELECT coalesce(array_agg(c.channel_id), '{}'), coalesce(array_agg(c.start_us), '{}')
    INTO v_created_channels, v_created_starts FROM created c;
  -- A new statement: it sees plays that a concurrent batch committed at
  -- keys where ours found a conflict.
  RETURN QUERY
  SELECT i.n - 1, c.channel_id IS NOT NULL, p.end_us, p.song_id, coalesce(m.into_id, i.song_id)
  FROM unnest(p_channels, p_starts, p_songs) WITH ORDINALITY AS i (channel_id, start_us, song_id, n)
  JOIN plays p ON p.channel_id = i.channel_id AND p.start_us = i.start_us
  LEFT JOIN merged_songs m ON m.from_id = i.song_id
  LEFT JOIN unnest(v_created_channels, v_created_starts) AS c (channel_id, start_us)
    ON c.channel_id = i.channel_id AND c.start_us = i.start_us
  WHERE p.start_us = ANY (p_starts);
END
$fn$;
)sql";

// API tokens that every node honours (auth/postgresql/postgresql_token_store.h):
// hashes only. The one-row api_token_version is raised by a statement
// trigger on every change of api_tokens (a manual edit in SQL included), so
// that nodes poll one small row instead of reading every token.
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE api_tokens (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
  name text NOT NULL,
  scopes text NOT NULL,
  sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
  created bigint NOT NULL,
  revoked bigint NOT NULL DEFAULT 0
);
CREATE TABLE api_token_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version bigint NOT NULL
);
INSERT INTO api_token_version (only_row, version) VALUES (true, 0);
CREATE FUNCTION spinlog_api_tokens_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE api_token_version SET version = version + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER api_tokens_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION spinlog_api_tokens_changed();
)sql";

// Cheaper play writes (each add_play batch is one call; planning was half
// its cost, docs/benchmarks.md):
// - spinlog_day is no longer STRICT, so that the planner inlines it (a STRICT
//   SQL function whose body is not strict is run as a statement per row). It
//   answers NULL for NULL as before.
// - spinlog_insert_plays keeps generic plans: its statements are primary-key
//   and unique-key look-ups whose plan does not depend on the arrays, and
//   PostgreSQL plans them again when ANALYZE changes a table's statistics.
//   The one whose best plan depends on the size of plays, reading back what
//   is stored at keys where no play was created, runs as dynamic SQL
//   (planned for its arrays on each call), and only when a key was not
//   created: when every play is new, the answer comes from the input.
constexpr char kSchemaV5[] = R"sql(
CREATE OR REPLACE FUNCTION spinlog_day(t bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN t >= 0 THEN t / 86400000000
                    ELSE -((-(t + 1)) / 86400000000) - 1 END $$;

CREATE OR REPLACE FUNCTION spinlog_insert_plays(p_channels bigint[], p_starts bigint[],
                                                p_ends bigint[], p_songs bigint[], p_node bigint)
  RETURNS TABLE (r_index bigint, r_created boolean, r_end bigint, r_song bigint,
                 r_input_song bigint)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $fn$
DECLARE
  v_bad bigint;
  v_created_channels bigint[];
  v_created_starts bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7310312799105136);
  SELECT min(i.n) INTO v_bad
  FROM unnest(p_channels, p_songs) WITH ORDINALITY AS i (channel_id, song_id, n)
  LEFT JOIN merged_songs m ON m.from_id = i.song_id
  WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.id = i.channel_id)
     OR NOT EXISTS (SELECT 1 FROM songs s WHERE s.id = coalesce(m.into_id, i.song_id));
  IF v_bad IS NOT NULL THEN
    RETURN QUERY SELECT v_bad - 1, NULL::boolean, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  -- Inserted in key order: concurrent batches lock keys in one order.
  WITH input (channel_id, start_us, end_us, song_id) AS (
    SELECT i.channel_id, i.start_us, i.end_us, coalesce(m.into_id, i.song_id)
    FROM unnest(p_channels, p_starts, p_ends, p_songs) AS i (channel_id, start_us, end_us, song_id)
    LEFT JOIN merged_songs m ON m.from_id = i.song_id),
  created AS (
    INSERT INTO plays (channel_id, start_us, end_us, song_id)
    SELECT channel_id, start_us, end_us, song_id FROM input ORDER BY channel_id, start_us
    ON CONFLICT (channel_id, start_us) DO NOTHING
    RETURNING channel_id, start_us, end_us, song_id),
  counted AS (
    INSERT INTO daily_counts AS d (channel_id, day, song_id, plays)
    SELECT channel_id, spinlog_day(start_us), song_id, count(*) FROM created
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (channel_id, day, song_id) DO UPDATE SET plays = d.plays + excluded.plays),
  fed AS (
    INSERT INTO play_feed (node, channels, starts, ends, songs)
    SELECT p_node, array_agg(c.channel_id), array_agg(c.start_us), array_agg(c.end_us),
           array_agg(c.song_id)
    FROM created c HAVING count(*) > 0)
  SELECT coalesce(array_agg(c.channel_id), '{}'), coalesce(array_agg(c.start_us), '{}')
    INTO v_created_channels, v_created_starts FROM created c;
  IF cardinality(v_created_channels) = cardinality(p_channels) THEN
    -- Every play is new (keys are distinct): stored as given, after merges.
    RETURN QUERY
    SELECT i.n - 1, true, i.end_us, coalesce(m.into_id, i.song_id), coalesce(m.into_id, i.song_id)
    FROM unnest(p_ends, p_songs) WITH ORDINALITY AS i (end_us, song_id, n)
    LEFT JOIN merged_songs m ON m.from_id = i.song_id;
    RETURN;
  END IF;
  -- A new statement: it sees plays that a concurrent batch committed at
  -- keys where ours found a conflict.
  RETURN QUERY EXECUTE $q$
  SELECT i.n - 1, c.channel_id IS NOT NULL, p.end_us, p.song_id, coalesce(m.into_id, i.song_id)
  FROM unnest($1, $2, $3) WITH ORDINALITY AS i (channel_id, start_us, song_id, n)
  JOIN plays p ON p.channel_id = i.channel_id AND p.start_us = i.start_us
  LEFT JOIN merged_songs m ON m.from_id = i.song_id
  LEFT JOIN unnest($4, $5) AS c (channel_id, start_us)
    ON c.channel_id = i.channel_id AND c.start_us = i.start_us
  WHERE p.start_us = ANY ($2)
  $q$ USING p_channels, p_starts, p_songs, v_created_channels, v_created_starts;
END
$fn$;
)sql";

constexpr Migration kMigrations[] = {
    {1, "catalogue, channel groups, plays partitioned by month, daily counts", kSchemaV1},
    {2, "play feed: the plays each statement created, for the other nodes' charts", kSchemaV2},
    {3, "every record field, title and country indexes, merges, catalogue feed", kSchemaV3},
    {4, "API tokens shared by every node (hashes only)", kSchemaV4},
    {5, "cheaper play writes: spinlog_day inlined, generic plans in spinlog_insert_plays", kSchemaV5},
};

// pg_advisory_xact_lock key for migrations: "spinlog" in ASCII, a constant
// that no other lock of ours uses.
constexpr char kMigrationLock[] = "SELECT pg_advisory_xact_lock(7310312799105135)";

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Result<SchemaVersions> MigrateSchema(pqxx::connection& connection, bool apply) {
  const int latest = kMigrations[std::size(kMigrations) - 1].version;
  pqxx::work tx(connection);
  tx.exec(kMigrationLock);
  tx.exec0("SET LOCAL client_min_messages = warning");  // no "already exists" notice
  tx.exec0(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY,"
      " description text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  const pqxx::row current = tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations");
  SchemaVersions versions;
  versions.from = current[0].as<int>();
  versions.to = versions.from;
  if (versions.from > latest) {
    return Status::InvalidArgument("the database has schema version " +
                                   std::to_string(versions.from) +
                                   ", newer than this build knows (" + std::to_string(latest) +
                                   "): run a spinlog as new as the one that migrated it");
  }
  if (versions.from == latest) {
    tx.commit();
    return versions;
  }
  if (!apply) {
    return Status::InvalidArgument("the database has schema version " +
                                   std::to_string(versions.from) + "; this build needs " +
                                   std::to_string(latest) + ": run spinlog migrate");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= versions.from) continue;
    tx.exec0(migration.sql);
    tx.exec_params0("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                    migration.version, std::string(migration.description));
    versions.to = migration.version;
  }
  tx.commit();
  return versions;
}

}  // namespace spinlog::storage::pg
