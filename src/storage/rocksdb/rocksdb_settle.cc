// Settling level 0 while writes are quiet.
//
// Every read of plays consults each level 0 file, and RocksDB moves them
// down only once a family holds four. Under bulk ingest that rewrite is
// heavy: each flush of plays spans every channel written to, and of song
// plays every song, so each compaction from level 0 rewrites most of the
// level below, and the larger the store the longer it takes; whichever
// burst of writes reaches the fourth file pays for it (docs/benchmarks.md,
// "Settling level 0 while writes pause"). A store therefore compacts its
// play families' level 0 itself, on a thread of its own, once no write has
// come for a while: right after it opens (what `spinlog import` left:
// one SST file per batch and family, overlapping, nearly all in level 0),
// and after every burst of writes that left files there. Work that would
// have fallen on the next burst is done while the store is otherwise idle.
#include <rocksdb/metadata.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/logging.h"
#include "common/thread_name.h"
#include "storage/rocksdb/rocksdb_store_impl.h"

namespace spinlog::storage::rocks {
namespace {

using Clock = std::chrono::steady_clock;

// How often the thread looks for quiet: often enough that settling starts
// soon after the quiet time, rarely enough to cost nothing.
constexpr std::chrono::milliseconds kCheckInterval{250};

struct SettleJob {
  rocksdb::ColumnFamilyHandle* family;
  std::vector<std::string> level0_files;
  bool imported;  // some file came from a bulk insert (spinlog import)
  int output_level;
  std::uint64_t output_file_bytes;
};

// The job for `family`, or none when its level 0 is empty.
std::optional<SettleJob> JobFor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) {
  // A cheap look first: the metadata below lists every file of every level.
  std::string files;
  if (!db->GetProperty(family, rocksdb::DB::Properties::kNumFilesAtLevelPrefix + "0", &files) ||
      files == "0") {
    return std::nullopt;
  }
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(family, &meta);
  if (meta.levels.empty() || meta.levels[0].files.empty()) return std::nullopt;
  SettleJob job{family, {}, false, 0, 0};
  for (const rocksdb::SstFileMetaData& file : meta.levels[0].files) {
    // Ingestion gives every key of a file the same sequence number, while a
    // flushed memtable holds many writes.
    job.imported = job.imported || file.smallest_seqno == file.largest_seqno;
    // Every level 0 file: RocksDB compacts level 0 from its oldest file up,
    // so a newer file cannot go down without the older.
    job.level0_files.push_back(file.relative_filename);
  }
  // With level_compaction_dynamic_level_bytes, the level that level 0
  // compacts into: the bottom one while the store is small.
  std::uint64_t base_level = 0;
  if (!db->GetIntProperty(family, rocksdb::DB::Properties::kBaseLevel, &base_level) ||
      base_level == 0) {
    return std::nullopt;
  }
  job.output_level = static_cast<int>(base_level);
  job.output_file_bytes = db->GetOptions(family).target_file_size_base;
  return job;
}

// True while RocksDB flushes or compacts, or has compaction of `family` it
// means to do: settling then waits rather than compete with it for files.
bool BackgroundWorkRunning(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) {
  std::uint64_t flushes = 0;
  std::uint64_t compactions = 0;
  std::uint64_t pending = 0;
  return !db->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &flushes) ||
         !db->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &compactions) ||
         !db->GetIntProperty(family, rocksdb::DB::Properties::kCompactionPending, &pending) ||
         flushes + compactions + pending != 0;
}

// Compacts job's files into the level below; logs how it went.
void Settle(rocksdb::DB* db, const SettleJob& job) {
  const auto start = Clock::now();
  rocksdb::CompactionOptions options;
  // The family's own compression for the output level (ZSTD at the bottom),
  // not CompactionOptions' default of Snappy.
  options.compression = rocksdb::kDisableCompressionOption;
  options.output_file_size_limit = job.output_file_bytes;
  const rocksdb::Status done =
      db->CompactFiles(options, job.family, job.level0_files, job.output_level);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  const std::string what = std::to_string(job.level0_files.size()) + " level-0 file(s)" +
                           (job.imported ? " left by an import" : "") + " in " +
                           job.family->GetName();
  if (done.ok()) {
    // An import's are worth telling (the first start after it is busy);
    // settling after writes is routine.
    const std::string line = "compacted " + what + " in " + std::to_string(ms) + " ms";
    logging::Log(job.imported ? logging::Level::kInfo : logging::Level::kDebug, line);
  } else if (done.IsIncomplete() || done.IsAborted() || done.IsInvalidArgument()) {
    // Stopped at close, or RocksDB's own compaction took the files first
    // (CompactFiles then says they are being compacted): either way nothing
    // is lost and nothing needs doing here.
    logging::Debug("left compacting " + what + ": " + done.ToString());
  } else {
    logging::Warn("cannot compact " + what + ": " + done.ToString());
  }
}

}  // namespace

void RocksDbStore::StartSettling() {
  if (settle_thread_.joinable()) return;
  settle_thread_ = std::jthread([this](std::stop_token stop) {
    NameCurrentThread("settle");
    SettleWhileQuiet(stop);
  });
}

void RocksDbStore::SettleWhileQuiet(const std::stop_token& stop) {
  // Every write, of one play or of an imported file, takes a new sequence
  // number; flushes and compactions take none.
  rocksdb::SequenceNumber last_seen = db_->GetLatestSequenceNumber();
  // Opening counts as the start of a quiet time that has already lasted:
  // what an import left is settled at once.
  Clock::time_point quiet_since = Clock::now() - settle_after_quiet_;
  // The writes settled last: once per pause, so that a compaction that
  // fails (a full disk) is not retried until writes come again.
  std::optional<rocksdb::SequenceNumber> settled;
  std::mutex wait_mutex;
  std::condition_variable_any woken;
  while (!stop.stop_requested()) {
    const rocksdb::SequenceNumber latest = db_->GetLatestSequenceNumber();
    if (latest != last_seen) {
      last_seen = latest;
      quiet_since = Clock::now();
    } else if (settled != last_seen && Clock::now() - quiet_since >= settle_after_quiet_) {
      bool waiting = false;
      for (Family f : {Family::kPlays, Family::kSongPlays, Family::kDailyCounts}) {
        if (stop.stop_requested() || db_->GetLatestSequenceNumber() != last_seen) break;
        if (BackgroundWorkRunning(db_.get(), family(f))) {
          waiting = true;  // for RocksDB; this family is tried again next time
        } else if (std::optional<SettleJob> job = JobFor(db_.get(), family(f))) {
          Settle(db_.get(), *job);
        }
      }
      if (!waiting) settled = last_seen;
    }
    std::unique_lock<std::mutex> lock(wait_mutex);
    woken.wait_for(lock, stop, kCheckInterval, [] { return false; });
  }
}

}  // namespace spinlog::storage::rocks
