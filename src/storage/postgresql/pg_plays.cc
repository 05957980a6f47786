// The plays of PostgresStore: idempotent batch insert (one call of
// spinlog_insert_plays that writes the plays, their daily counts and the
// play feed, atomic on its own, redirecting merged songs) and full scans. Ordered seeks of one channel or song are in pg_play_pages.cc.
#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>
#include <utility>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

// spinlog_insert_plays (migration 3) writes plays, daily counts and the play
// feed in one statement, redirecting merged songs and refusing deleted ones.
constexpr char kInsertPlays[] =
    "SELECT r_index, r_created, r_end, r_song, r_input_song "
    "FROM spinlog_insert_plays($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5)";

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

  // Per first play (index into firsts): whether it was created, the play
  // stored at its key, and its song after merges.
  std::vector<char> created(firsts.size(), 0);
  std::vector<PlayRecord> stored(firsts.size());
  std::map<SongId, SongId> redirected;  // song -> song after merges
  std::optional<std::size_t> refused;
  // Never run again: a connection that broke may have committed it. The
  // caller retries, and the idempotency rule answers.
  SPINLOG_RETURN_IF_ERROR(Run("write plays", Retry::kNever, [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::size_t answered = 0;
    for (const pqxx::row& row :
         tx.exec_params(kInsertPlays, ArrayLiteral(channels), ArrayLiteral(starts),
                        ArrayLiteral(ends), ArrayLiteral(songs), node_id_)) {
      const auto k = row[0].as<std::size_t>();
      if (k >= firsts.size()) return Status::Internal("play index out of range");
      if (row[1].is_null()) {
        refused = firsts[k];
        return Status::OK();
      }
      const PlayRecord& play = plays[firsts[k]];
      created[k] = row[1].as<bool>() ? 1 : 0;
      stored[k] = PlayRecord{play.channel_id, play.start, row[2].as<UnixMicros>(),
                             row[3].as<SongId>()};
      redirected[play.song_id] = row[4].as<SongId>();
      ++answered;
    }
    if (answered != firsts.size()) {
      return Status::Internal("the store answered " + std::to_string(answered) + " of " +
                              std::to_string(firsts.size()) + " plays");
    }
    return Status::OK();
  }));
  if (refused) {
    return Status::InvalidArgument("play " + std::to_string(*refused) +
                                   " of the batch: its channel or song was deleted");
  }
  // Later plays of a key are judged as the embedded store judges them: with
  // their songs after merges. Songs that no first play named are looked up.
  std::vector<std::int64_t> unknown;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    if (first_of[i] != i && !redirected.contains(plays[i].song_id)) {
      unknown.push_back(plays[i].song_id);
    }
  }
  if (!unknown.empty()) {
    SPINLOG_RETURN_IF_ERROR(
        Run("read merged songs", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          for (const pqxx::row& row :
               tx.exec_params("SELECT from_id, into_id FROM merged_songs WHERE from_id = ANY ($1)",
                              ArrayLiteral(unknown))) {
            redirected[row[0].as<SongId>()] = row[1].as<SongId>();
          }
          return Status::OK();
        }));
  }
  auto after_merges = [&](PlayRecord play) {
    if (const auto it = redirected.find(play.song_id); it != redirected.end()) {
      play.song_id = it->second;
    }
    return play;
  };
  std::vector<std::size_t> slot(plays.size());  // index into firsts of each first play
  for (std::size_t k = 0; k < firsts.size(); ++k) slot[firsts[k]] = k;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const std::size_t k = slot[first_of[i]];
    const PlayRecord play = after_merges(plays[i]);
    if (created[k] != 0) {
      results[i] = first_of[i] == i ? PlayInsertResult{PlayInsertOutcome::kCreated, {}}
                                    : JudgeAgainst(play, stored[k]);
    } else {
      results[i] = JudgeAgainst(play, stored[k]);
    }
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
