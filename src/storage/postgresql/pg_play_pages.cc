// Ordered reads of PostgresStore for lists of plays: the plays of a channel
// (primary key (channel_id, start_us)) or of a song (index plays_by_song on
// (song_id, start_us, channel_id)), either way, from any position, a page at
// a time. Plays are partitioned by start, so an ordered scan reads the
// partitions in order and stops with the visitor.
#include <limits>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {

Status PostgresStore::SeekChannelPlays(ChannelId channel, const PlaySeek& seek,
                                       const PlayVisitor& visit) {
  constexpr UnixMicros kMax = std::numeric_limits<UnixMicros>::max();
  // One channel: (start, channel) order is start order, and `after` only
  // moves a bound of the start range.
  UnixMicros lo = seek.from;  // inclusive
  UnixMicros hi = seek.to;    // exclusive
  if (seek.after && seek.direction == ScanDirection::kForward) {
    const PlayPosition& a = *seek.after;
    if (channel > a.channel_id) {
      lo = std::max(lo, a.start);
    } else if (a.start == kMax) {
      return Status::OK();
    } else {
      lo = std::max(lo, a.start + 1);
    }
  } else if (seek.after) {
    const PlayPosition& a = *seek.after;
    if (channel >= a.channel_id) {
      hi = std::min(hi, a.start);
    } else if (a.start != kMax) {
      hi = std::min(hi, a.start + 1);
    }
  }
  if (lo >= hi) return Status::OK();
  const bool forward = seek.direction == ScanDirection::kForward;
  const std::string sql = std::string(
                              "SELECT channel_id, start_us, end_us, song_id FROM plays "
                              "WHERE channel_id = $1 AND start_us >= $2 AND start_us < $3 "
                              "ORDER BY start_us") +
                          (forward ? "" : " DESC") + " LIMIT $4";
  bool done = false;
  return VisitPages(
      *this, "read plays of channel " + std::to_string(channel),
      [&](pqxx::nontransaction& tx, long limit) {
        if (done) return pqxx::result();
        pqxx::result rows = tx.exec_params(sql, std::int64_t{channel}, lo, hi, limit);
        if (!rows.empty()) {
          const auto last = rows.back()[1].as<UnixMicros>();
          if (forward) {
            lo = last + 1;  // last < hi <= max: no overflow
          } else {
            hi = last;
          }
          done = lo >= hi;
        }
        return rows;
      },
      [&](const pqxx::row& row) {
        return visit(PlayRecord{row[0].as<ChannelId>(), row[1].as<UnixMicros>(),
                                row[2].as<UnixMicros>(), row[3].as<SongId>()});
      });
}

Status PostgresStore::SeekSongPlays(SongId song, const PlaySeek& seek, const PlayVisitor& visit) {
  if (seek.from >= seek.to) return Status::OK();
  const bool forward = seek.direction == ScanDirection::kForward;
  // Past every position in the direction of travel: channel ids are uint32,
  // stored as bigint, so -1 and 2^32 lie outside them.
  std::int64_t after_start =
      forward ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
  std::int64_t after_channel = forward ? -1 : std::int64_t{1} << 32;
  if (seek.after) {
    after_start = seek.after->start;
    after_channel = seek.after->channel_id;
  }
  const std::string sql =
      std::string(
          "SELECT channel_id, start_us, end_us, song_id FROM plays "
          "WHERE song_id = $1 AND start_us >= $2 AND start_us < $3 AND (start_us, channel_id) ") +
      (forward ? "> ($4, $5) ORDER BY start_us, channel_id"
               : "< ($4, $5) ORDER BY start_us DESC, channel_id DESC") +
      " LIMIT $6";
  return VisitPages(
      *this, "read plays of song " + std::to_string(song),
      [&](pqxx::nontransaction& tx, long limit) {
        pqxx::result rows = tx.exec_params(sql, std::int64_t{song}, seek.from, seek.to, after_start,
                                           after_channel, limit);
        if (!rows.empty()) {
          after_channel = rows.back()[0].as<std::int64_t>();
          after_start = rows.back()[1].as<std::int64_t>();
        }
        return rows;
      },
      [&](const pqxx::row& row) {
        return visit(PlayRecord{row[0].as<ChannelId>(), row[1].as<UnixMicros>(),
                                row[2].as<UnixMicros>(), row[3].as<SongId>()});
      });
}

}  // namespace spinlog::storage::pg
