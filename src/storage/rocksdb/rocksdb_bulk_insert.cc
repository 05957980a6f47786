// The bulk half of RocksDbStore's plays: large batches skip the memtable.
//
// InsertPlays puts every play into the memtable (a skip list) twice, once per
// column family, and RocksDB later flushes and compacts it; importing W1 spent
// over half its time in skip-list inserts. Here a batch is sorted once, the
// new plays are written as one sorted SST file per family, and both files are
// ingested in one atomic step. SST files are synced before ingestion and the
// ingestion is recorded in the synced MANIFEST, so the batch is durable when
// the call returns, whatever the store's sync_writes.
//
// The idempotency check walks one iterator through the plays family in key
// order alongside the sorted batch, instead of looking every key up. The
// song plays file is then written on a second thread while the calling one
// writes the plays and daily counts files.
#include <rocksdb/sst_file_writer.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <limits>
#include <system_error>
#include <thread>

#include "common/thread_name.h"
#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

// A play with its place in the batch. The walks below read these in sorted
// order and the batch not at all: a batch in input order (time-major, over
// thousands of channels) would cost a cache miss per play.
struct Entry {
  PlayRecord play;
  std::uint32_t index;
};

// Steps an iterator forward to the first key >= target: a few Next() calls
// when the target is near (re-imports walk the stored plays one by one), a
// Seek otherwise.
void AdvanceTo(rocksdb::Iterator* it, const rocksdb::Slice& target) {
  constexpr int kStepsBeforeSeek = 8;
  for (int step = 0; it->Valid() && it->key().compare(target) < 0; ++step) {
    if (step == kStepsBeforeSeek) {
      it->Seek(target);
      return;
    }
    it->Next();
  }
}

// Removes a file on scope exit unless released: a failed batch leaves no
// stray SST behind.
class FileGuard {
 public:
  explicit FileGuard(std::string path) : path_(std::move(path)) {}
  ~FileGuard() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  FileGuard(const FileGuard&) = delete;
  FileGuard& operator=(const FileGuard&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes the plays of `created` (in key order) as an SST file at `path`.
Status WritePlaysFile(std::span<const Entry> created, const rocksdb::Options& options,
                      rocksdb::ColumnFamilyHandle* family, const std::string& path) {
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Open(path), "cannot create " + path));
  std::string key;
  std::string value;
  for (const Entry& entry : created) {
    key.clear();
    AppendChannelPlayKey(&key, entry.play.channel_id, entry.play.start);
    value.clear();
    AppendPlayValue(&value, entry.play);
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Put(key, value), "cannot write " + path));
  }
  return FromRocksDb(writer.Finish(), "cannot finish " + path);
}

// Writes the song plays of `created` as an SST file at `path`: sorts a copy
// of them by song key first.
Status WriteSongPlaysFile(std::span<const Entry> created, const rocksdb::Options& options,
                          rocksdb::ColumnFamilyHandle* family, const std::string& path) {
  std::vector<Entry> by_song(created.begin(), created.end());
  std::sort(by_song.begin(), by_song.end(), [](const Entry& a, const Entry& b) {
    if (a.play.song_id != b.play.song_id) return a.play.song_id < b.play.song_id;
    if (a.play.start != b.play.start) return a.play.start < b.play.start;
    return a.play.channel_id < b.play.channel_id;
  });
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Open(path), "cannot create " + path));
  std::string key;
  std::string value;
  for (const Entry& entry : by_song) {
    const PlayRecord& play = entry.play;
    key.clear();
    AppendSongPlayKey(&key, play.song_id, play.start, play.channel_id);
    value.clear();
    AppendSongPlayValue(&value, play);
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Put(key, value), "cannot write " + path));
  }
  return FromRocksDb(writer.Finish(), "cannot finish " + path);
}

// Writes the daily counts of `created` (in key order) as merge operands in
// an SST file at `path`. Key order means (channel, day) only grows, so one
// day's counts at a time are enough.
Status WriteDailyCountsFile(std::span<const Entry> created, const rocksdb::Options& options,
                            rocksdb::ColumnFamilyHandle* family, const std::string& path) {
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Open(path), "cannot create " + path));
  DailyCountsDelta day_counts;
  ChannelId day_channel = 0;
  std::int64_t day = 0;
  auto write_day = [&]() -> Status {
    for (const auto& [day_key, operand] : day_counts.Operands()) {
      SPINLOG_RETURN_IF_ERROR(FromRocksDb(writer.Merge(day_key, operand), "cannot write " + path));
    }
    day_counts = DailyCountsDelta();
    return Status::OK();
  };
  for (const Entry& entry : created) {
    if (entry.play.channel_id != day_channel || DayOf(entry.play.start) != day) {
      SPINLOG_RETURN_IF_ERROR(write_day());
      day_channel = entry.play.channel_id;
      day = DayOf(entry.play.start);
    }
    day_counts.Add(entry.play);
  }
  SPINLOG_RETURN_IF_ERROR(write_day());
  return FromRocksDb(writer.Finish(), "cannot finish " + path);
}

}  // namespace

rocksdb::Options RocksDbStore::BulkFileOptions(Family f) const {
  rocksdb::Options options = db_->GetOptions(family(f));
  // The family's own options, except that SstFileWriter would compress with
  // the bottommost level's ZSTD (an eighth of W2's import time): these files
  // mostly land above the bottom, and compaction recompresses what reaches it.
  options.bottommost_compression = options.compression;
  return options;
}

std::string RocksDbStore::NewBulkFilePath(const char* family_name) {
  static std::atomic<std::uint64_t> sequence{0};
  return path_ + "/" + kBulkDirectory + "/" + std::to_string(::getpid()) + "-" +
         std::to_string(sequence.fetch_add(1)) + "-" + family_name + ".sst";
}

Result<std::vector<PlayInsertResult>> RocksDbStore::BulkInsertPlays(
    std::span<const PlayRecord> plays) {
  std::vector<PlayInsertResult> results(plays.size());
  if (plays.empty()) return results;
  if (plays.size() > std::numeric_limits<std::uint32_t>::max()) {
    return Status::InvalidArgument("a bulk insert takes at most 2^32-1 plays");
  }
  SPINLOG_RETURN_IF_ERROR(CheckPlays(plays));

  // Key order; equal keys keep their batch order, so the first one in the
  // batch is the one created and later ones compare against it.
  std::vector<Entry> order(plays.size());
  for (std::uint32_t i = 0; i < plays.size(); ++i) order[i] = {plays[i], i};
  const auto by_key = [](const Entry& a, const Entry& b) {
    if (a.play.channel_id != b.play.channel_id) return a.play.channel_id < b.play.channel_id;
    if (a.play.start != b.play.start) return a.play.start < b.play.start;
    return a.index < b.index;
  };
  if (!std::is_sorted(order.begin(), order.end(), by_key)) {
    std::sort(order.begin(), order.end(), by_key);
  }

  PlaysQuiet quiet(this);
  {
    // Plays of songs merged away since they were resolved go to the target.
    std::vector<PlayRecord> redirected;
    SPINLOG_ASSIGN_OR_RETURN(const std::span<const PlayRecord> current,
                             RedirectLocked(plays, &redirected));
    if (current.data() != plays.data()) {
      for (Entry& entry : order) entry.play.song_id = current[entry.index].song_id;
    }
  }
  rocksdb::ReadOptions read;
  read.total_order_seek = true;  // the walk crosses channels
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> stored(db_->NewIterator(read, family(Family::kPlays)));

  std::error_code dir_error;
  std::filesystem::create_directories(path_ + "/" + kBulkDirectory, dir_error);
  if (dir_error) {
    return Status::IOError("cannot create " + path_ + "/" + kBulkDirectory + ": " +
                           dir_error.message());
  }
  FileGuard plays_file(NewBulkFilePath(kPlaysFamily));
  FileGuard song_plays_file(NewBulkFilePath(kSongPlaysFamily));
  FileGuard counts_file(NewBulkFilePath(kDailyCountsFamily));

  // The walk only judges; the files are written after it, from `created`.
  std::vector<Entry> created;
  created.reserve(order.size());
  std::string key;
  const PlayRecord* previous_play = nullptr;  // the stored or created play at the previous key
  PlayRecord existing;
  bool positioned = false;
  for (const Entry& entry : order) {
    const PlayRecord& play = entry.play;
    if (previous_play != nullptr && play.channel_id == previous_play->channel_id &&
        play.start == previous_play->start) {
      results[entry.index] = JudgeAgainst(play, *previous_play);
      continue;
    }
    key.clear();
    AppendChannelPlayKey(&key, play.channel_id, play.start);
    const rocksdb::Slice target(key);
    if (!positioned) {
      stored->Seek(target);
      positioned = true;
    } else {
      AdvanceTo(stored.get(), target);
    }
    if (stored->Valid() && stored->key() == target) {
      existing = {play.channel_id, play.start, 0, 0};
      if (!DecodePlayValue(View(stored->value()), &existing)) {
        return Status::Corruption("malformed play of channel " + std::to_string(play.channel_id) +
                                  " in " + path_);
      }
      results[entry.index] = JudgeAgainst(play, existing);
      previous_play = &existing;
      continue;
    }
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(stored->status(), "cannot read plays in " + path_));
    results[entry.index] = {PlayInsertOutcome::kCreated, {}};
    created.push_back(entry);
    previous_play = &play;
  }
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(stored->status(), "cannot read plays in " + path_));
  stored.reset();
  if (created.empty()) return results;

  // The song plays file on a second thread while this one writes the plays
  // and daily counts files: an import has a reader thread and this writer,
  // and the writer was the one that limited it on two cores
  // (docs/benchmarks.md, "Import"). The two share nothing but `created`,
  // which neither changes.
  const rocksdb::Options song_plays_options = BulkFileOptions(Family::kSongPlays);
  Status song_plays_status;
  auto write_song_plays = [&] {
    song_plays_status =
        WriteSongPlaysFile(created, song_plays_options, family(Family::kSongPlays),
                           song_plays_file.path());
  };
  // A jthread joins on every way out of this scope, exceptions included.
  // When no thread can be started, the file is written here instead: slower,
  // never lost.
  std::jthread song_plays_thread;
  try {
    song_plays_thread = std::jthread([&] {
      NameCurrentThread("import-songs");
      write_song_plays();
    });
  } catch (const std::system_error&) {
    write_song_plays();
  }
  Status status = WritePlaysFile(created, BulkFileOptions(Family::kPlays),
                                 family(Family::kPlays), plays_file.path());
  if (status.ok()) {
    status = WriteDailyCountsFile(created, BulkFileOptions(Family::kDailyCounts),
                                  family(Family::kDailyCounts), counts_file.path());
  }
  if (song_plays_thread.joinable()) song_plays_thread.join();
  SPINLOG_RETURN_IF_ERROR(status);
  SPINLOG_RETURN_IF_ERROR(song_plays_status);

  // All families in one step: a crash leaves every file ingested or none.
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = true;
  const std::pair<Family, const FileGuard*> files[] = {
      {Family::kPlays, &plays_file},
      {Family::kSongPlays, &song_plays_file},
      {Family::kDailyCounts, &counts_file}};
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& [f, file] : files) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = family(f);
    arg.external_files = {file->path()};
    arg.options = ingest;
    args.push_back(std::move(arg));
  }
  SPINLOG_RETURN_IF_ERROR(
      FromRocksDb(db_->IngestExternalFiles(args), "cannot ingest plays into " + path_));
  return results;
}

}  // namespace spinlog::storage::rocks
