// BulkInsertPlays of PostgresStore, for `spinlog import --store`: the batch
// goes by COPY into a temporary staging table, then one INSERT ... ON
// CONFLICT DO NOTHING moves what is new into plays, raising daily_counts and
// filling the play feed in the same statement (so running nodes' charts
// follow the import), and one join reads back what stood at the keys that
// were not created. One transaction: the batch is stored whole or not at
// all. The results are InsertPlays' (the conformance suite checks both).
#include <algorithm>
#include <numeric>
#include <optional>
#include <pqxx/stream_to>
#include <tuple>
#include <utility>

#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

constexpr char kCreateStage[] =
    "CREATE TEMPORARY TABLE spinlog_import_stage (channel_id bigint NOT NULL, "
    "start_us bigint NOT NULL, end_us bigint NOT NULL, song_id bigint NOT NULL, "
    "ord integer NOT NULL) ON COMMIT DROP";

// As pg_plays.cc's insert, from the staging table; the feed gets one row
// per 10,000 created plays, so that a follower never reads a huge array.
// $1: this store's node id.
constexpr char kInsertStaged[] = R"sql(
WITH created AS (
  INSERT INTO plays (channel_id, start_us, end_us, song_id)
  SELECT channel_id, start_us, end_us, song_id FROM spinlog_import_stage
  ORDER BY channel_id, start_us
  ON CONFLICT (channel_id, start_us) DO NOTHING
  RETURNING channel_id, start_us, end_us, song_id),
counted AS (
  INSERT INTO daily_counts AS d (channel_id, day, song_id, plays)
  SELECT channel_id, spinlog_day(start_us), song_id, count(*) FROM created
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (channel_id, day, song_id) DO UPDATE SET plays = d.plays + excluded.plays),
numbered AS (
  SELECT c.*, (row_number() OVER ()) / 10000 AS chunk FROM created c),
fed AS (
  INSERT INTO play_feed (node, channels, starts, ends, songs)
  SELECT $1, array_agg(channel_id), array_agg(start_us), array_agg(end_us), array_agg(song_id)
  FROM numbered GROUP BY chunk)
SELECT count(*) FROM created
)sql";

// What stands at the staged keys that this transaction did not create
// (their row's xmin is another transaction's).
constexpr char kNotCreated[] = R"sql(
SELECT s.ord, p.end_us, p.song_id
FROM spinlog_import_stage s JOIN plays p USING (channel_id, start_us)
WHERE p.xmin <> pg_current_xact_id()::xid
)sql";

using Key = std::pair<ChannelId, UnixMicros>;
Key KeyOf(const PlayRecord& play) { return {play.channel_id, play.start}; }

PlayInsertResult JudgeAgainst(const PlayRecord& play, const PlayRecord& stored) {
  const bool same = play.song_id == stored.song_id && play.end == stored.end;
  return {same ? PlayInsertOutcome::kDuplicate : PlayInsertOutcome::kConflict, stored};
}

}  // namespace

Result<std::vector<PlayInsertResult>> PostgresStore::BulkInsertPlays(
    std::span<const PlayRecord> plays) {
  std::vector<PlayInsertResult> results(plays.size());
  if (plays.empty()) return results;
  SPINLOG_RETURN_IF_ERROR(CheckPlays(plays));
  SPINLOG_RETURN_IF_ERROR(EnsurePartitions(plays));

  // The first play of each key (staged with its index in `firsts`); later
  // ones are judged against it, as InsertPlays does.
  std::vector<std::size_t> order(plays.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return KeyOf(plays[a]) < KeyOf(plays[b]); });
  std::vector<std::size_t> first_of(plays.size());  // per play: the first with its key
  std::vector<std::size_t> firsts;
  for (std::size_t i : order) {
    if (firsts.empty() || KeyOf(plays[firsts.back()]) != KeyOf(plays[i])) firsts.push_back(i);
    first_of[i] = firsts.back();
  }

  // Per staged play: what stood there already (absent when created now).
  std::vector<std::optional<PlayRecord>> stored(firsts.size());
  // Never run again: a connection that broke may have committed it. The
  // import's rerun meets the idempotency rule.
  SPINLOG_RETURN_IF_ERROR(Run("bulk-write plays", Retry::kNever, [&](pqxx::connection& c) {
    std::fill(stored.begin(), stored.end(), std::nullopt);
    pqxx::work tx(c);
    tx.exec0(kCreateStage);
    {
      pqxx::stream_to stage(tx, "spinlog_import_stage",
                            std::vector<std::string>{"channel_id", "start_us", "end_us",
                                                     "song_id", "ord"});
      for (std::size_t k = 0; k < firsts.size(); ++k) {
        const PlayRecord& p = plays[firsts[k]];
        stage << std::make_tuple(std::int64_t{p.channel_id}, p.start, p.end,
                                 std::int64_t{p.song_id}, static_cast<std::int64_t>(k));
      }
      stage.complete();
    }
    const auto created = tx.exec_params1(kInsertStaged, node_id_)[0].as<std::size_t>();
    std::size_t found = 0;
    for (const pqxx::row& row : tx.exec(kNotCreated)) {
      const auto k = row[0].as<std::size_t>();
      const PlayRecord& p = plays[firsts.at(k)];
      stored[k] = PlayRecord{p.channel_id, p.start, row[1].as<UnixMicros>(), row[2].as<SongId>()};
      ++found;
    }
    // Without deletes, every key was created now or stood there before.
    if (created + found != firsts.size()) {
      return Status::Internal("a bulk write of " + std::to_string(firsts.size()) +
                              " plays created " + std::to_string(created) + " and found " +
                              std::to_string(found) + " stored");
    }
    tx.commit();
    return Status::OK();
  }));

  std::vector<std::size_t> staged_as(plays.size());  // per first play: its index in firsts
  for (std::size_t k = 0; k < firsts.size(); ++k) staged_as[firsts[k]] = k;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const std::size_t first = first_of[i];
    const std::optional<PlayRecord>& before = stored[staged_as[first]];
    if (before) {
      results[i] = JudgeAgainst(plays[i], *before);
    } else {
      results[i] = first == i ? PlayInsertResult{PlayInsertOutcome::kCreated, {}}
                              : JudgeAgainst(plays[i], plays[first]);
    }
  }
  return results;
}

}  // namespace spinlog::storage::pg
