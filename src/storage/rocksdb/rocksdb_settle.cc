// Settling what an import left: `spinlog import` ingests one sorted SST file
// per batch and family (rocksdb_bulk_insert.cc). A batch of time-ordered
// plays spans every channel and song, so the batches' files overlap and all
// but the first land in level 0, where nothing compacts them until flushes
// add enough files to reach RocksDB's trigger. Then the first burst of
// writes pays for rewriting the whole import (W1: 1.4-1.5 s of compaction in
// the first seconds of bulk ingest, about a fifth of the server's CPU there;
// docs/benchmarks.md), and until then every read consults each of those
// files. A server compacts them as soon as it opens the store instead, on a
// thread of its own, while it is otherwise idle.
//
// An imported file is told from a flushed one by its sequence numbers:
// ingestion gives every key of a file the same one, while a flush of a
// memtable holds many writes.
#include <rocksdb/metadata.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/logging.h"
#include "storage/rocksdb/rocksdb_store_impl.h"

namespace spinlog::storage::rocks {
namespace {

struct SettleJob {
  rocksdb::ColumnFamilyHandle* family;
  std::vector<std::string> level0_files;
  int output_level;
  std::uint64_t output_file_bytes;
};

// The job for `family`, or none when its level 0 holds no imported file.
std::optional<SettleJob> JobFor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) {
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(family, &meta);
  if (meta.levels.empty() || meta.levels[0].files.empty()) return std::nullopt;
  const std::vector<rocksdb::SstFileMetaData>& level0 = meta.levels[0].files;
  bool imported = false;
  SettleJob job{family, {}, 0, 0};
  for (const rocksdb::SstFileMetaData& file : level0) {
    imported = imported || file.smallest_seqno == file.largest_seqno;
    // Every level 0 file, flushed ones too: RocksDB compacts level 0 from
    // its oldest file up, so a newer file cannot go down without the older.
    job.level0_files.push_back(file.relative_filename);
  }
  if (!imported) return std::nullopt;
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

}  // namespace

void RocksDbStore::SettleImportedData() {
  if (settle_thread_.joinable()) return;
  std::vector<SettleJob> jobs;
  for (Family f : {Family::kPlays, Family::kSongPlays, Family::kDailyCounts}) {
    if (std::optional<SettleJob> job = JobFor(db_.get(), family(f))) jobs.push_back(*job);
  }
  if (jobs.empty()) return;
  settle_thread_ = std::jthread([this, jobs = std::move(jobs)] {
    for (const SettleJob& job : jobs) {
      const auto start = std::chrono::steady_clock::now();
      rocksdb::CompactionOptions options;
      // The family's own compression for the output level (ZSTD at the
      // bottom), not CompactionOptions' default of Snappy.
      options.compression = rocksdb::kDisableCompressionOption;
      options.output_file_size_limit = job.output_file_bytes;
      const rocksdb::Status done =
          db_->CompactFiles(options, job.family, job.level0_files, job.output_level);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      const std::string what = std::to_string(job.level0_files.size()) +
                               " level-0 file(s) left by an import in " + job.family->GetName();
      if (done.ok()) {
        logging::Info("compacted " + what + " in " + std::to_string(ms) + " ms");
      } else if (done.IsIncomplete() || done.IsAborted()) {
        // Stopped at close, or RocksDB's own compaction took the files
        // first: either way nothing is lost and nothing needs doing here.
        logging::Info("left compacting " + what + ": " + done.ToString());
      } else {
        logging::Warn("cannot compact " + what + ": " + done.ToString());
      }
    }
  });
}

}  // namespace spinlog::storage::rocks
