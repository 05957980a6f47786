// The plays of PostgresStore: idempotent batch insert (one statement that
// writes the plays and their daily counts, atomic on its own) and full
// scans. Ordered seeks of one channel or song are in pg_play_pages.cc.
#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

// The plays (unique keys, in key order: concurrent batches then lock keys in
// one order and cannot deadlock) that are not stored yet are created, and
// their (channel, day, song) counts raised, in one statement: both or none.
// Returns the keys created, and records them in the play feed for the other
// nodes ($5: this store's node id).
constexpr char kInsertPlays[] = R"sql(
WITH input (channel_id, start_us, end_us, song_id) AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])),
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
  SELECT $5, array_agg(c.channel_id), array_agg(c.start_us), array_agg(c.end_us),
         array_agg(c.song_id)
  FROM created c HAVING count(*) > 0)
SELECT channel_id, start_us FROM created
)sql";

// The stored plays at the given keys. `start_us = ANY` lets PostgreSQL
// skip the partitions of other months.
constexpr char kStoredPlays[] = R"sql(
SELECT p.channel_id, p.start_us, p.end_us, p.song_id
FROM plays p JOIN unnest($1::bigint[], $2::bigint[]) AS k (channel_id, start_us)
  USING (channel_id, start_us)
WHERE p.start_us = ANY ($2::bigint[])
)sql";

using Key = std::pair<ChannelId, UnixMicros>;
Key KeyOf(const PlayRecord& play) { return {play.channel_id, play.start}; }

PlayRecord PlayFrom(const pqxx::row& row) {
  return PlayRecord{row[0].as<ChannelId>(), row[1].as<UnixMicros>(), row[2].as<UnixMicros>(),
                    row[3].as<SongId>()};
}

PlayInsertResult JudgeAgainst(const PlayRecord& play, const PlayRecord& stored) {
  const bool same = play.song_id == stored.song_id && play.end == stored.end;
  return {same ? PlayInsertOutcome::kDuplicate : PlayInsertOutcome::kConflict, stored};
}

}  // namespace

Status PostgresStore::CheckPlays(std::span<const PlayRecord> plays) {
  bool reloaded = false;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const PlayRecord& play = plays[i];
    const char* problem = nullptr;
    for (int attempt = 0; attempt < 2; ++attempt) {
      problem = nullptr;
      if (play.start >= play.end) {
        problem = "start is not before end";
      } else if (play.channel_id == 0 ||
                 play.channel_id > last_ids_[static_cast<std::size_t>(Kind::kChannel)].load()) {
        problem = "unknown channel id";
      } else if (play.song_id == 0 ||
                 play.song_id > last_ids_[static_cast<std::size_t>(Kind::kSong)].load()) {
        problem = "unknown song id";
      }
      // An id beyond ours may come from another node: read the counters once.
      if (problem == nullptr || play.start >= play.end || reloaded) break;
      SPINLOG_RETURN_IF_ERROR(LoadCounters());
      reloaded = true;
    }
    if (problem != nullptr) {
      return Status::InvalidArgument("play " + std::to_string(i) + " of the batch: " + problem);
    }
  }
  return Status::OK();
}

Result<std::vector<PlayInsertResult>> PostgresStore::InsertPlays(
    std::span<const PlayRecord> plays) {
  std::vector<PlayInsertResult> results(plays.size());
  if (plays.empty()) return results;
  SPINLOG_RETURN_IF_ERROR(CheckPlays(plays));
  SPINLOG_RETURN_IF_ERROR(EnsurePartitions(plays));

  // The first play of each key, in key order; later ones are judged after.
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
  std::vector<std::int64_t> channels, starts, ends, songs;
  for (std::size_t i : firsts) {
    channels.push_back(plays[i].channel_id);
    starts.push_back(plays[i].start);
    ends.push_back(plays[i].end);
    songs.push_back(plays[i].song_id);
  }

  std::vector<Key> created;
  created.reserve(firsts.size());
  // Never run again: a connection that broke may have committed it. The
  // caller retries, and the idempotency rule answers.
  SPINLOG_RETURN_IF_ERROR(Run("write plays", Retry::kNever, [&](pqxx::connection& c) {
    created.clear();
    // Prepared once per connection (libpqxx registers it on first use):
    // the statement is planned once, not on every batch.
    c.prepare("spinlog_insert_plays", kInsertPlays);
    pqxx::nontransaction tx(c);
    for (const pqxx::row& row :
         tx.exec_prepared("spinlog_insert_plays", ArrayLiteral(channels), ArrayLiteral(starts),
                          ArrayLiteral(ends), ArrayLiteral(songs), node_id_)) {
      created.emplace_back(row[0].as<ChannelId>(), row[1].as<UnixMicros>());
    }
    return Status::OK();
  }));
  std::sort(created.begin(), created.end());

  // What is stored at the keys that were not created (rare: retries and
  // conflicts). Without deletes, what stands there now stood at the insert.
  std::map<Key, PlayRecord> stored;
  if (created.size() < firsts.size()) {
    std::vector<std::int64_t> key_channels, key_starts;
    for (std::size_t i : firsts) {
      if (std::binary_search(created.begin(), created.end(), KeyOf(plays[i]))) continue;
      key_channels.push_back(plays[i].channel_id);
      key_starts.push_back(plays[i].start);
    }
    SPINLOG_RETURN_IF_ERROR(
        Run("read stored plays", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          for (const pqxx::row& row :
               tx.exec_params(kStoredPlays, ArrayLiteral(key_channels), ArrayLiteral(key_starts))) {
            const PlayRecord play = PlayFrom(row);
            stored[KeyOf(play)] = play;
          }
          return Status::OK();
        }));
  }
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const PlayRecord& play = plays[i];
    const bool first_created =
        std::binary_search(created.begin(), created.end(), KeyOf(plays[first_of[i]]));
    if (first_created) {
      results[i] = first_of[i] == i ? PlayInsertResult{PlayInsertOutcome::kCreated, {}}
                                    : JudgeAgainst(play, plays[first_of[i]]);
      continue;
    }
    const auto found = stored.find(KeyOf(play));
    if (found == stored.end()) {
      return Status::Internal("play of channel " + std::to_string(play.channel_id) + " at " +
                              std::to_string(play.start) + " was neither created nor found");
    }
    results[i] = JudgeAgainst(play, found->second);
  }
  return results;
}

Status PostgresStore::ScanAllPlays(const PlayVisitor& visit) {
  // Keyset pages in (channel, start) order, which the primary key serves.
  std::int64_t channel = -1;
  std::int64_t start = std::numeric_limits<std::int64_t>::max();
  return VisitPages(
      *this, "scan plays",
      [&](pqxx::nontransaction& tx, long limit) {
        pqxx::result rows = tx.exec_params(
            "SELECT channel_id, start_us, end_us, song_id FROM plays "
            "WHERE (channel_id, start_us) > ($1, $2) ORDER BY channel_id, start_us LIMIT $3",
            channel, start, limit);
        if (!rows.empty()) {
          channel = rows.back()[0].as<std::int64_t>();
          start = rows.back()[1].as<std::int64_t>();
        }
        return rows;
      },
      [&](const pqxx::row& row) { return visit(PlayFrom(row)); }, 8192);
}

Status PostgresStore::ScanDailyCounts(const DailyCountsVisitor& visit) {
  // One snapshot for the whole scan, on a connection of its own (the
  // visitor may call the store): the counts are exactly those of the plays
  // that snapshot sees, and the play feed takes over from it.
  return RunDedicated("scan daily counts", [&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    const std::string snapshot =
        tx.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>();
    std::tuple<std::int64_t, std::int64_t, std::int64_t> position{-1, 0, 0};
    // The (channel, day) being gathered; its songs may span pages.
    ChannelId channel = 0;
    std::int64_t day = 0;
    std::vector<SongPlayCount> counts;
    constexpr long kPage = 8192;
    while (true) {
      const pqxx::result rows = tx.exec_params(
          "SELECT channel_id, day, song_id, plays FROM daily_counts "
          "WHERE (channel_id, day, song_id) > ($1, $2, $3) AND plays <> 0 "
          "ORDER BY channel_id, day, song_id LIMIT $4",
          std::get<0>(position), std::get<1>(position), std::get<2>(position), kPage);
      for (const pqxx::row& row : rows) {
        const auto row_channel = row[0].as<ChannelId>();
        const auto row_day = row[1].as<std::int64_t>();
        if (!counts.empty() && (row_channel != channel || row_day != day)) {
          if (!visit(channel, day, counts)) return Status::OK();
          counts.clear();
        }
        channel = row_channel;
        day = row_day;
        counts.push_back(SongPlayCount{row[2].as<SongId>(), row[3].as<std::int64_t>()});
      }
      if (!rows.empty()) {
        const pqxx::row last = rows.back();
        position = {last[0].as<std::int64_t>(), last[1].as<std::int64_t>(),
                    last[2].as<std::int64_t>()};
      }
      if (static_cast<long>(rows.size()) < kPage) break;
    }
    if (!counts.empty() && !visit(channel, day, counts)) return Status::OK();
    tx.commit();
    std::lock_guard<std::mutex> guard(feed_mutex_);
    // Only before the first poll: after it, the feed is ahead of this scan.
    if (!feed_polled_) feed_snapshot_ = snapshot;
    return Status::OK();
  });
}

}  // namespace spinlog::storage::pg
