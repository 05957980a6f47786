// The plays half of RocksDbStore: idempotent batch insert and full scans
// (ordered scans of one channel or song are in rocksdb_play_pages.cc).
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {

Status RocksDbStore::CheckPlays(std::span<const PlayRecord> plays) const {
  // Ids must have been handed out already: a cheap guard, from memory, against
  // plays that point at nothing (the REQUIRES of InsertPlays).
  const std::uint32_t last_channel = last_ids_[static_cast<std::size_t>(Kind::kChannel)].load();
  const std::uint32_t last_song = last_ids_[static_cast<std::size_t>(Kind::kSong)].load();
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const PlayRecord& play = plays[i];
    const char* problem = nullptr;
    if (play.start >= play.end) {
      problem = "start is not before end";
    } else if (play.channel_id == 0 || play.channel_id > last_channel) {
      problem = "unknown channel id";
    } else if (play.song_id == 0 || play.song_id > last_song) {
      problem = "unknown song id";
    }
    if (problem != nullptr) {
      return Status::InvalidArgument("play " + std::to_string(i) + " of the batch: " + problem);
    }
  }
  return Status::OK();
}

Result<std::vector<PlayInsertResult>> RocksDbStore::InsertPlays(std::span<const PlayRecord> plays) {
  std::vector<PlayInsertResult> results(plays.size());
  if (plays.empty()) return results;
  SPINLOG_RETURN_IF_ERROR(CheckPlays(plays));

  std::vector<std::string> keys;
  keys.reserve(plays.size());
  for (const PlayRecord& play : plays) keys.push_back(ChannelPlayKey(play.channel_id, play.start));
  std::vector<rocksdb::Slice> key_slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(plays.size());
  std::vector<rocksdb::Status> statuses(plays.size());

  // Check and write under one lock: a concurrent caller must not create a
  // (channel, start) between our lookup and our write.
  std::lock_guard<std::mutex> guard(plays_mutex_);
  std::vector<PlayRecord> redirected;
  SPINLOG_ASSIGN_OR_RETURN(plays, RedirectLocked(plays, &redirected));
  db_->MultiGet(rocksdb::ReadOptions(), family(Family::kPlays), keys.size(), key_slices.data(),
                values.data(), statuses.data());

  // Plays created by this batch, by key, for duplicates within the batch.
  std::unordered_map<std::string_view, std::size_t> created;
  std::vector<std::size_t> created_order;  // indexes into `plays`
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const PlayRecord& play = plays[i];
    if (statuses[i].ok()) {
      PlayRecord stored{play.channel_id, play.start, 0, 0};
      if (!DecodePlayValue(View(values[i]), &stored)) {
        return Status::Corruption("malformed play of channel " + std::to_string(play.channel_id) +
                                  " in " + path_);
      }
      results[i] = JudgeAgainst(play, stored);
      continue;
    }
    if (!statuses[i].IsNotFound()) {
      return FromRocksDb(statuses[i], "cannot read plays in " + path_);
    }
    const auto [earlier, inserted] = created.emplace(keys[i], i);
    if (!inserted) {
      results[i] = JudgeAgainst(play, plays[earlier->second]);
      continue;
    }
    created_order.push_back(i);
    results[i] = {PlayInsertOutcome::kCreated, {}};
  }

  // The puts go into the batch family by family, each in key order: RocksDB's
  // memtable is a skip list that inserts a key next to the previous one almost
  // for free, and anywhere else only after a full search (importing W1 took a
  // fifth less CPU so; docs/benchmarks.md). The order is otherwise irrelevant:
  // the batch is one atomic write of distinct keys.
  std::sort(created_order.begin(), created_order.end(),
            [&keys](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<std::pair<std::string, std::size_t>> song_keys;
  song_keys.reserve(created_order.size());
  rocksdb::WriteBatch batch;
  for (std::size_t i : created_order) {
    SPINLOG_RETURN_IF_ERROR(
        FromRocksDb(batch.Put(family(Family::kPlays), key_slices[i], EncodePlayValue(plays[i])),
                    "cannot build a write batch"));
    song_keys.emplace_back(SongPlayKey(plays[i].song_id, plays[i].start, plays[i].channel_id), i);
  }
  std::sort(song_keys.begin(), song_keys.end());
  DailyCountsDelta counts;
  for (const auto& [key, i] : song_keys) {
    SPINLOG_RETURN_IF_ERROR(
        FromRocksDb(batch.Put(family(Family::kSongPlays), key, EncodeSongPlayValue(plays[i])),
                    "cannot build a write batch"));
    counts.Add(plays[i]);
  }
  for (const auto& [key, operand] : counts.Operands()) {
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(batch.Merge(family(Family::kDailyCounts), key, operand),
                                        "cannot build a write batch"));
  }
  if (batch.Count() > 0) {
    SPINLOG_RETURN_IF_ERROR(
        FromRocksDb(db_->Write(WriteOptions(), &batch), "cannot write plays in " + path_));
  }
  return results;
}

Status RocksDbStore::ScanAllPlays(const PlayVisitor& visit) {
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  // A full pass to rebuild indexes: keep it from evicting the working set.
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kPlays)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    PlayRecord play;
    if (!ParseChannelPlayKey(View(it->key()), &play.channel_id, &play.start) ||
        !DecodePlayValue(View(it->value()), &play)) {
      return Status::Corruption("malformed play in " + path_);
    }
    if (!visit(play)) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan plays in " + path_);
}

Status RocksDbStore::ScanDailyCounts(const DailyCountsVisitor& visit) {
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kDailyCounts)));
  std::vector<SongPlayCount> counts;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ChannelId channel = 0;
    std::int64_t day = 0;
    counts.clear();
    if (!ParseDailyCountKey(View(it->key()), &channel, &day) ||
        !DecodeDailyCounts(View(it->value()), &counts)) {
      return Status::Corruption("malformed daily counts in " + path_);
    }
    if (counts.empty()) continue;  // every play of the day was taken away
    if (!visit(channel, day, counts)) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan daily counts in " + path_);
}

}  // namespace spinlog::storage::rocks
