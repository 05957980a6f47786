#include "main/import_pipeline.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "common/thread_name.h"
#include "ingest/bounded_queue.h"
#include "main/import_resolver.h"
#include "text/datetime.h"

namespace spinlog {
namespace {

// A batch on its way from the reader thread to the writer: the plays, in
// input order, and where each came from.
struct PlayBatch {
  std::vector<storage::PlayRecord> records;
  std::vector<RecordOrigin> origins;
};

using BatchQueue = ingest::BoundedQueue<PlayBatch>;

std::string DescribeProblems(const std::vector<FieldViolation>& problems) {
  std::string text;
  for (const FieldViolation& v : problems) {
    if (!text.empty()) text += "; ";
    text += v.field + ": " + v.problem;
  }
  return text;
}

// The reader thread's side: decode, resolve, batch, hand over.
class BatchProducer {
 public:
  BatchProducer(domain::CatalogueService* catalogue, const ImportPipelineOptions& options,
                BatchQueue* queue, ingest::ProgressReporter* progress)
      : resolver_(catalogue),
        options_(options),
        queue_(queue),
        progress_(progress),
        batch_plays_(std::min(options.first_batch_plays, options.batch_plays)) {}

  // Reads every input and queues what it read, also what came before an
  // error. Returns the error; OK also when the writer stopped the queue.
  Status Run(const std::vector<ImportInput>& inputs) {
    const Status read = ReadAll(inputs);
    // Ignored: false only when the writer stopped, which reports its own error.
    (void)Ship();
    return read;
  }

  ProblemList TakeInvalid() { return std::move(invalid_); }

 private:
  Status ReadAll(const std::vector<ImportInput>& inputs) {
    std::uint64_t bytes_before = 0;
    std::vector<FieldViolation> problems;
    for (std::uint32_t index = 0; index < inputs.size(); ++index) {
      ImportReader reader(inputs[index].source.get(), inputs[index].format);
      api::v1::PlayItem item;
      ingest::NdjsonLine line;
      for (;;) {
        storage::PlayRecord record;
        if (reader.is_ndjson()) {
          SPINLOG_ASSIGN_OR_RETURN(bool more, reader.NextLine(&line));
          if (!more) break;
          if (!line.too_long) {
            SPINLOG_ASSIGN_OR_RETURN(bool resolved, resolver_.TryResolveLine(line.text, &record));
            if (resolved) {
              if (!Add(record, {index, line.number}, bytes_before + reader.bytes_read())) {
                return Status::OK();
              }
              continue;
            }
          }
          item = ImportReader::DecodeLine(line);
        } else {
          SPINLOG_ASSIGN_OR_RETURN(bool more, reader.Next(&item));
          if (!more) break;
        }
        const RecordOrigin origin{index, item.line};
        if (!item.play) {
          Count(bytes_before + reader.bytes_read());
          AddInvalid(origin, item.problems);
          continue;
        }
        problems.clear();
        SPINLOG_RETURN_IF_ERROR(resolver_.Resolve(*item.play, &record, &problems));
        if (!problems.empty()) {
          Count(bytes_before + reader.bytes_read());
          AddInvalid(origin, problems);
          continue;
        }
        if (!Add(record, origin, bytes_before + reader.bytes_read())) return Status::OK();
      }
      bytes_before += reader.bytes_read();
    }
    if (progress_ != nullptr) progress_->Update(records_, bytes_before);
    return Status::OK();
  }

  // Counts one record read, `bytes` into the inputs, for the progress bar.
  void Count(std::uint64_t bytes) {
    ++records_;
    if (progress_ != nullptr && records_ % 1024 == 0) progress_->Update(records_, bytes);
  }

  // Counts and queues a resolved play; false when the writer has stopped.
  bool Add(const storage::PlayRecord& record, const RecordOrigin& origin, std::uint64_t bytes) {
    Count(bytes);
    pending_.records.push_back(record);
    pending_.origins.push_back(origin);
    return pending_.records.size() < batch_plays_ || Ship();
  }

  void AddInvalid(const RecordOrigin& origin, const std::vector<FieldViolation>& problems) {
    if (invalid_.Wants(origin)) {
      invalid_.Add({origin, DescribeProblems(problems)});
    } else {
      invalid_.Count();
    }
  }

  // Queues the pending plays; false when the writer has stopped.
  bool Ship() {
    if (pending_.records.empty()) return true;
    SortByKey(&pending_);
    PlayBatch batch = std::move(pending_);
    pending_ = PlayBatch();
    // Small batches first, so that the writer starts early; then larger
    // ones, which leave RocksDB less to compact.
    batch_plays_ = std::min(2 * batch_plays_, options_.batch_plays);
    pending_.records.reserve(batch_plays_);
    pending_.origins.reserve(batch_plays_);
    return queue_->Push(std::move(batch));
  }

  // Puts `batch` in (channel, start) order, plays with one key in input
  // order. The store needs that order (and checks for it before sorting):
  // sorting here, on the reader thread, takes it off the writer thread, which
  // is the one that limits an import (docs/benchmarks.md, "Import"). The
  // scratch vectors are members so that their memory, once touched, serves
  // every later batch (fresh pages cost a fault each).
  void SortByKey(PlayBatch* batch) {
    const auto by_key = [](const SortEntry& a, const SortEntry& b) {
      if (a.play.channel_id != b.play.channel_id) return a.play.channel_id < b.play.channel_id;
      if (a.play.start != b.play.start) return a.play.start < b.play.start;
      return a.index < b.index;
    };
    order_.resize(batch->records.size());
    for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = {batch->records[i], i};
    if (std::is_sorted(order_.begin(), order_.end(), by_key)) return;
    std::sort(order_.begin(), order_.end(), by_key);
    origins_.resize(order_.size());
    for (std::size_t k = 0; k < order_.size(); ++k) {
      batch->records[k] = order_[k].play;
      origins_[k] = batch->origins[order_[k].index];
    }
    // The batch takes the sorted origins; its old vector becomes scratch.
    batch->origins.swap(origins_);
  }

  struct SortEntry {
    storage::PlayRecord play;
    std::uint32_t index;  // in the batch
  };
  std::vector<SortEntry> order_;
  std::vector<RecordOrigin> origins_;

  ImportResolver resolver_;
  const ImportPipelineOptions options_;
  BatchQueue* queue_;
  ingest::ProgressReporter* progress_;
  PlayBatch pending_;
  std::size_t batch_plays_;  // the size of the batch being filled
  std::uint64_t records_ = 0;
  ProblemList invalid_;
};

// "channel 'C' already has a play starting at T: 'title' by 'performer'
// until E", as the API words a conflict.
std::string DescribeConflict(domain::CatalogueService* catalogue, const storage::PlayRecord& play,
                             const storage::PlayInsertResult& result) {
  Result<storage::ChannelRecord> channel = catalogue->GetChannel(play.channel_id);
  std::string text =
      "channel " +
      (channel.ok() ? "'" + channel->name + "'" : "#" + std::to_string(play.channel_id)) +
      " already has a play starting at " + text::FormatDatetimeSeconds(play.start) + ": ";
  Result<storage::SongRecord> song = catalogue->GetSong(result.existing.song_id);
  Result<storage::PerformerRecord> performer =
      song.ok() ? catalogue->GetPerformer(song->performer_id)
                : Result<storage::PerformerRecord>(song.status());
  if (song.ok() && performer.ok()) {
    text += "'" + song->title + "' by '" + performer->name + "'";
  } else {
    text += "song #" + std::to_string(result.existing.song_id);
  }
  return text + " until " + text::FormatDatetimeSeconds(result.existing.end);
}

// The writer's side: one BulkInsertPlays per batch, and the outcomes counted.
Status WriteBatch(const PlayBatch& batch, storage::Store* store,
                  domain::CatalogueService* catalogue, ImportReport* report) {
  SPINLOG_ASSIGN_OR_RETURN(std::vector<storage::PlayInsertResult> results,
                           store->BulkInsertPlays(batch.records));
  std::vector<std::size_t> conflicts;
  for (std::size_t i = 0; i < results.size(); ++i) {
    switch (results[i].outcome) {
      case storage::PlayInsertOutcome::kCreated:
        ++report->created;
        break;
      case storage::PlayInsertOutcome::kDuplicate:
        ++report->duplicates;
        break;
      case storage::PlayInsertOutcome::kConflict:
        conflicts.push_back(i);
        break;
    }
  }
  // The report wants the first ones in input order.
  std::sort(conflicts.begin(), conflicts.end(),
            [&](std::size_t a, std::size_t b) { return batch.origins[a] < batch.origins[b]; });
  for (std::size_t i : conflicts) {
    if (report->conflicts.Wants(batch.origins[i])) {
      report->conflicts.Add(
          {batch.origins[i], DescribeConflict(catalogue, batch.records[i], results[i])});
    } else {
      report->conflicts.Count();
    }
  }
  return Status::OK();
}

}  // namespace

Status RunImportPipeline(const std::vector<ImportInput>& inputs, storage::Store* store,
                         domain::CatalogueService* catalogue, const ImportPipelineOptions& options,
                         ingest::ProgressReporter* progress, ImportReport* report) {
  BatchQueue queue(options.queued_batches);
  BatchProducer producer(catalogue, options, &queue, progress);
  Status read_status;
  std::thread reader([&] {
    NameCurrentThread("import-reader");
    read_status = producer.Run(inputs);
    // Lets the writer drain what was read and stop, whatever happened.
    queue.Close();
  });

  Status write_status;
  PlayBatch batch;
  while (queue.Pop(&batch)) {
    write_status = WriteBatch(batch, store, catalogue, report);
    if (!write_status.ok()) {
      // Releases the reader if it waits for room.
      queue.Close();
      break;
    }
  }
  reader.join();
  report->invalid.Merge(producer.TakeInvalid());
  if (!write_status.ok()) return write_status;
  return read_status;
}

}  // namespace spinlog
