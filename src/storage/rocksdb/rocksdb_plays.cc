// The plays half of RocksDbStore: idempotent batch insert and full scans
// (ordered scans of one channel or song are in rocksdb_play_pages.cc).
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

// Keys per MultiGet of InsertPlays' existence check (see there).
constexpr std::size_t kExistenceCheckKeys = 256;

}  // namespace

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

  // Check and build under the lock, against the database and the writes in
  // flight: a concurrent caller must not create a (channel, start) between
  // our lookup and our write. The write itself goes without it (below).
  std::unique_lock<std::mutex> lock(plays_mutex_);
  plays_settled_.wait(lock, [this] { return quiet_requests_ == 0; });
  std::vector<PlayRecord> redirected;
  SPINLOG_ASSIGN_OR_RETURN(plays, RedirectLocked(plays, &redirected));

  // This runs on the committer threads, for every play (bulk ingest is
  // bound by them): keys live in two flat buffers, so that nothing here
  // allocates per play.
  std::string play_keys;
  play_keys.reserve(plays.size() * kChannelPlayKeySize);
  for (const PlayRecord& play : plays) AppendChannelPlayKey(&play_keys, play.channel_id, play.start);
  auto play_key = [&play_keys](std::size_t i) {
    return std::string_view(play_keys.data() + i * kChannelPlayKeySize, kChannelPlayKeySize);
  };
  // Key order, then batch order: of plays with the same key, the first in
  // the batch is created and the others are judged against it. The
  // existence check reads the keys in that order (RocksDB's MultiGet would
  // otherwise sort them itself, a sixth of its cost), and key order is also
  // the order the puts go into the batch, family by family: RocksDB's
  // memtable is a skip list that inserts a key next to the previous one of
  // its prefix almost for free, and anywhere else only after a full search
  // (importing W1 took a fifth less CPU so; docs/benchmarks.md). The order is
  // otherwise irrelevant: the batch is one atomic write of distinct keys.
  // Sorted as numbers, not as encoded keys: the encoding keeps the order of
  // (channel, start) (key_codec.h), and two integers compare for less than
  // two keys reached through their indexes.
  struct PlayOrder {
    ChannelId channel;
    UnixMicros start;
    std::size_t index;
  };
  std::vector<PlayOrder> by_key(plays.size());
  for (std::size_t i = 0; i < plays.size(); ++i) {
    by_key[i] = {plays[i].channel_id, plays[i].start, i};
  }
  std::sort(by_key.begin(), by_key.end(), [](const PlayOrder& a, const PlayOrder& b) {
    return std::tie(a.channel, a.start, a.index) < std::tie(b.channel, b.start, b.index);
  });
  std::vector<std::size_t> order(plays.size());  // indexes into `plays`
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = by_key[k].index;
  // A play that starts after its channel's bound is new (channel_start_bounds.h);
  // only the others are looked up, in the database and among the writes in
  // flight. Within a channel starts ascend, so those are each channel's first.
  std::vector<std::size_t> checked;  // positions in key order
  for (std::size_t k = 0; k < by_key.size();) {
    const ChannelId channel = by_key[k].channel;
    SPINLOG_ASSIGN_OR_RETURN(const UnixMicros bound, StartBoundLocked(channel));
    for (; k < by_key.size() && by_key[k].channel == channel; ++k) {
      if (by_key[k].start <= bound) checked.push_back(k);
    }
  }
  std::vector<rocksdb::Slice> key_slices(checked.size());  // in key order
  for (std::size_t c = 0; c < checked.size(); ++c) {
    key_slices[c] = rocksdb::Slice(play_key(order[checked[c]]));
  }
  std::vector<rocksdb::PinnableSlice> values(checked.size());
  std::vector<rocksdb::Status> statuses(checked.size());
  // In slices of kExistenceCheckKeys: MultiGet builds a vector of per-key
  // contexts for all its keys, one key at a time (perf showed its
  // reallocations zeroing fresh pages), and for a whole group that vector
  // outgrows the core's cache. With slices insert_plays_bench took about a
  // tenth less CPU (docs/benchmarks.md); RocksDB works through the keys 32
  // at a time internally anyway, so no batching is lost.
  for (std::size_t at = 0; at < key_slices.size(); at += kExistenceCheckKeys) {
    const std::size_t n = std::min(kExistenceCheckKeys, key_slices.size() - at);
    db_->MultiGet(rocksdb::ReadOptions(), family(Family::kPlays), n, key_slices.data() + at,
                  values.data() + at, statuses.data() + at, /*sorted_input=*/true);
  }

  std::vector<std::size_t> absent;  // indexes into `plays`, in key order
  absent.reserve(plays.size());
  // Writes in flight that some play here was judged against: it is answered
  // only once they are durable too.
  std::vector<std::shared_ptr<PlayWrite>> depends_on;
  PlaysInFlight::Lookup in_flight(plays_in_flight_);
  std::size_t c = 0;  // into `checked`
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    const PlayRecord& play = plays[i];
    if (c == checked.size() || checked[c] != k) {
      absent.push_back(i);
      continue;
    }
    const rocksdb::Status& status = statuses[c];
    const rocksdb::PinnableSlice& value = values[c];
    ++c;
    if (status.ok()) {
      PlayRecord stored{play.channel_id, play.start, 0, 0};
      if (!DecodePlayValue(View(value), &stored)) {
        return Status::Corruption("malformed play of channel " + std::to_string(play.channel_id) +
                                  " in " + path_);
      }
      results[i] = JudgeAgainst(play, stored);
      continue;
    }
    if (!status.IsNotFound()) {
      return FromRocksDb(status, "cannot read plays in " + path_);
    }
    std::shared_ptr<PlayWrite> holder;
    if (const PlayRecord* writing = in_flight.Find(play.channel_id, play.start, &holder)) {
      results[i] = JudgeAgainst(play, *writing);
      if (depends_on.empty() || depends_on.back() != holder) depends_on.push_back(holder);
      continue;
    }
    absent.push_back(i);
  }

  std::vector<std::size_t> created;  // indexes into `plays`, in key order
  created.reserve(absent.size());
  for (std::size_t i : absent) {
    if (!created.empty() && play_key(created.back()) == play_key(i)) {
      results[i] = JudgeAgainst(plays[i], plays[created.back()]);
      continue;
    }
    created.push_back(i);
    results[i] = {PlayInsertOutcome::kCreated, {}};
  }
  if (created.empty()) return AfterWritesLanded(lock, depends_on, results);

  // About 22 bytes per put of a play or song play, and a few daily counts.
  rocksdb::WriteBatch batch(created.size() * 48 + 4096);
  std::string value;
  for (std::size_t i : created) {
    value.clear();
    AppendPlayValue(&value, plays[i]);
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(
        batch.Put(family(Family::kPlays), rocksdb::Slice(play_key(i)), value),
        "cannot build a write batch"));
  }
  // The created plays in song key order, (song, start, channel), sorted as
  // numbers like `by_key` above; distinct, since (channel, start) is.
  struct SongOrder {
    SongId song;
    ChannelId channel;
    UnixMicros start;
    std::size_t index;  // into `plays`
  };
  std::vector<SongOrder> by_song;
  by_song.reserve(created.size());
  for (std::size_t i : created) {
    by_song.push_back({plays[i].song_id, plays[i].channel_id, plays[i].start, i});
  }
  std::sort(by_song.begin(), by_song.end(), [](const SongOrder& a, const SongOrder& b) {
    return std::tie(a.song, a.start, a.channel) < std::tie(b.song, b.start, b.channel);
  });
  std::string song_key;
  for (const SongOrder& song_play : by_song) {
    song_key.clear();
    AppendSongPlayKey(&song_key, song_play.song, song_play.start, song_play.channel);
    value.clear();
    AppendSongPlayValue(&value, plays[song_play.index]);
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(batch.Put(family(Family::kSongPlays), song_key, value),
                                        "cannot build a write batch"));
  }
  // In key order, the order DailyCountsDelta sorts fastest.
  DailyCountsDelta counts;
  for (std::size_t i : created) counts.Add(plays[i]);
  for (const auto& [key, operand] : counts.Operands()) {
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(batch.Merge(family(Family::kDailyCounts), key, operand),
                                        "cannot build a write batch"));
  }

  std::vector<PlayRecord> writing;
  writing.reserve(created.size());
  for (std::size_t i : created) {
    writing.push_back(plays[i]);
    start_bounds_.Raise(plays[i].channel_id, plays[i].start);
  }
  const std::shared_ptr<PlayWrite> write = plays_in_flight_.Begin(std::move(writing));
  lock.unlock();
  const rocksdb::Status written = db_->Write(WriteOptions(), &batch);
  lock.lock();
  plays_in_flight_.End(write, written.ok());
  plays_settled_.notify_all();
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(written, "cannot write plays in " + path_));
  return AfterWritesLanded(lock, depends_on, results);
}

Result<UnixMicros> RocksDbStore::StartBoundLocked(ChannelId channel) {
  if (const std::optional<UnixMicros> bound = start_bounds_.Find(channel)) return *bound;
  // Unknown bounds have no plays in flight (InsertPlays learns a channel's
  // bound before it writes there; PlaysQuiet forgets them with nothing in
  // flight): the latest stored play is the bound.
  SPINLOG_ASSIGN_OR_RETURN(const UnixMicros latest, LatestPlayStart(channel));
  start_bounds_.Learn(channel, latest);
  return latest;
}

Result<std::vector<PlayInsertResult>> RocksDbStore::AfterWritesLanded(
    std::unique_lock<std::mutex>& lock, std::span<const std::shared_ptr<PlayWrite>> writes,
    std::vector<PlayInsertResult>& results) {
  plays_settled_.wait(lock, [writes] {
    return std::all_of(writes.begin(), writes.end(),
                       [](const std::shared_ptr<PlayWrite>& w) { return w->done; });
  });
  for (const std::shared_ptr<PlayWrite>& write : writes) {
    if (!write->ok) {
      return Status::IOError("cannot write plays in " + path_ +
                             ": a concurrent write of the same plays failed");
    }
  }
  return std::move(results);
}

RocksDbStore::PlaysQuiet::PlaysQuiet(RocksDbStore* store)
    : store_(store), lock_(store->plays_mutex_) {
  ++store_->quiet_requests_;
  store_->plays_settled_.wait(lock_, [this] { return store_->plays_in_flight_.empty(); });
  // What holds a PlaysQuiet may write plays that InsertPlays does not see.
  store_->start_bounds_.Forget();
}

RocksDbStore::PlaysQuiet::~PlaysQuiet() {
  --store_->quiet_requests_;
  lock_.unlock();
  store_->plays_settled_.notify_all();
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
