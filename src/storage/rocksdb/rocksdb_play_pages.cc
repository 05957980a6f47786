// The reads of RocksDbStore behind lists of plays: one channel's or one
// song's plays over a range of starts, forward or backward, resuming after
// a position. Each turns the PlaySeek into a key range [lower, upper) of its
// family and walks it with one iterator, so a page costs what it visits.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

// The key right after `key` in bytewise order: every other key greater than
// `key` is greater than this one too, so it turns "after key" into an
// inclusive lower bound (or "up to and including key" into an exclusive
// upper one) without any arithmetic on times or ids that could overflow.
std::string Successor(std::string key) {
  key.push_back('\0');
  return key;
}

bool DecodeChannelPlay(std::string_view key, std::string_view value, PlayRecord* play) {
  return ParseChannelPlayKey(key, &play->channel_id, &play->start) && DecodePlayValue(value, play);
}

// The key alone: what a value holds does not matter to the latest start.
bool DecodeChannelPlayKey(std::string_view key, std::string_view /*value*/, PlayRecord* play) {
  return ParseChannelPlayKey(key, &play->channel_id, &play->start);
}

bool DecodeSongPlay(std::string_view key, std::string_view value, PlayRecord* play) {
  return ParseSongPlayKey(key, &play->song_id, &play->start, &play->channel_id) &&
         DecodeSongPlayValue(value, play);
}

}  // namespace

Status RocksDbStore::SeekChannelPlays(ChannelId channel, const PlaySeek& seek,
                                      const PlayVisitor& visit) {
  if (seek.from >= seek.to) return Status::OK();
  KeyRange range{ChannelPlayKey(channel, seek.from), ChannelPlayKey(channel, seek.to)};
  if (seek.after) {
    // The channel's key holds the start only: where `after` falls among the
    // channel's plays depends on how its channel compares with this one.
    const std::string at = ChannelPlayKey(channel, seek.after->start);
    if (seek.direction == ScanDirection::kForward) {
      range.lower = std::max(range.lower, channel > seek.after->channel_id ? at : Successor(at));
    } else {
      range.upper = std::min(range.upper, channel < seek.after->channel_id ? Successor(at) : at);
    }
  }
  return SeekPlays(Family::kPlays, range, seek.direction, DecodeChannelPlay, visit, "channel",
                   channel);
}

Status RocksDbStore::SeekSongPlays(SongId song, const PlaySeek& seek, const PlayVisitor& visit) {
  if (seek.from >= seek.to) return Status::OK();
  // Channel 0 is never handed out, so (song, t, 0) sorts before every play of
  // the song that starts at t.
  KeyRange range{SongPlayKey(song, seek.from, 0), SongPlayKey(song, seek.to, 0)};
  if (seek.after) {
    const std::string at = SongPlayKey(song, seek.after->start, seek.after->channel_id);
    if (seek.direction == ScanDirection::kForward) {
      range.lower = std::max(range.lower, Successor(at));
    } else {
      range.upper = std::min(range.upper, at);
    }
  }
  return SeekPlays(Family::kSongPlays, range, seek.direction, DecodeSongPlay, visit, "song", song);
}

Result<UnixMicros> RocksDbStore::LatestPlayStart(ChannelId channel) {
  constexpr UnixMicros kLowest = std::numeric_limits<UnixMicros>::min();
  const KeyRange range{ChannelPlayKey(channel, kLowest),
                       Successor(ChannelPlayKey(channel, std::numeric_limits<UnixMicros>::max()))};
  UnixMicros latest = kLowest;
  SPINLOG_RETURN_IF_ERROR(SeekPlays(
      Family::kPlays, range, ScanDirection::kBackward, DecodeChannelPlayKey,
      [&latest](const PlayRecord& play) {
        latest = play.start;
        return false;
      },
      "channel", channel));
  return latest;
}

Status RocksDbStore::SeekPlays(Family f, const KeyRange& range, ScanDirection direction,
                               PlayDecoder decode, const PlayVisitor& visit, const char* kind,
                               std::uint32_t id) {
  if (range.lower >= range.upper) return Status::OK();
  const rocksdb::Slice lower(range.lower);
  const rocksdb::Slice upper(range.upper);
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower;
  read.iterate_upper_bound = &upper;
  // Both bounds share the leading id, the families' prefix: RocksDB may use
  // the prefix filter where that cannot change the result (it does not for
  // backward seeks).
  read.auto_prefix_mode = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(f)));
  const bool forward = direction == ScanDirection::kForward;
  // With an upper bound, SeekToLast lands on the last key below it.
  for (forward ? it->Seek(lower) : it->SeekToLast(); it->Valid();
       forward ? it->Next() : it->Prev()) {
    PlayRecord play;
    if (!decode(View(it->key()), View(it->value()), &play)) {
      return Status::Corruption("malformed play of " + std::string(kind) + " " +
                                std::to_string(id) + " in " + path_);
    }
    if (!visit(play)) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan plays of " + std::string(kind) + " " +
                                       std::to_string(id) + " in " + path_);
}

}  // namespace spinlog::storage::rocks
