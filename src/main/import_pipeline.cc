#include "main/import_pipeline.h"

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <utility>

#include "ingest/bounded_queue.h"
#include "text/datetime.h"

namespace spinlog {
namespace {

// A batch on its way from the reader thread to the writer: the plays, sorted
// by (channel, start), and where each came from.
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

// Resolves the names and ids of decoded plays to catalogue ids, creating
// missing names as POST /api/v1/plays does. Names go through the catalogue's
// caches; ids are remembered here, since nothing else can write to a data
// directory while the import holds it.
class PlayResolver {
 public:
  explicit PlayResolver(domain::CatalogueService* catalogue) : catalogue_(catalogue) {}

  // Sets *record, or appends to *problems why the play names an unknown id.
  // Returns the store's error.
  Status Resolve(const domain::PlayInput& play, storage::PlayRecord* record,
                 std::vector<FieldViolation>* problems) {
    record->start = play.start;
    record->end = play.end;
    if (play.channel_id != 0) {
      SPINLOG_RETURN_IF_ERROR(
          CheckId(play.channel_id, "channel_id", &known_channels_, problems,
                  [this](std::uint32_t id) { return catalogue_->GetChannel(id).status(); }));
      record->channel_id = play.channel_id;
    } else {
      SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord channel,
                               catalogue_->AddChannel(play.channel));
      record->channel_id = channel.id;
    }
    if (play.song_id != 0) {
      SPINLOG_RETURN_IF_ERROR(
          CheckId(play.song_id, "song_id", &known_songs_, problems,
                  [this](std::uint32_t id) { return catalogue_->GetSong(id).status(); }));
      record->song_id = play.song_id;
    } else {
      SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song,
                               catalogue_->AddSong(play.performer, play.title));
      record->song_id = song.id;
    }
    return Status::OK();
  }

 private:
  // Looks `id` up once; a NotFound becomes a problem of `field` (its message
  // names the id), as the API reports it.
  template <typename Lookup>
  Status CheckId(std::uint32_t id, const char* field,
                 std::unordered_map<std::uint32_t, Status>* known,
                 std::vector<FieldViolation>* problems, const Lookup& lookup) {
    auto it = known->find(id);
    if (it == known->end()) {
      Status found = lookup(id);
      if (!found.ok() && !found.IsNotFound()) return found;
      it = known->emplace(id, std::move(found)).first;
    }
    if (!it->second.ok()) problems->push_back({field, it->second.message()});
    return Status::OK();
  }

  domain::CatalogueService* catalogue_;
  std::unordered_map<std::uint32_t, Status> known_channels_;
  std::unordered_map<std::uint32_t, Status> known_songs_;
};

// The reader thread's side: decode, resolve, batch, hand over.
class BatchProducer {
 public:
  BatchProducer(domain::CatalogueService* catalogue, const ImportPipelineOptions& options,
                BatchQueue* queue, ingest::ProgressReporter* progress)
      : resolver_(catalogue), options_(options), queue_(queue), progress_(progress) {}

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
  struct Pending {
    storage::PlayRecord record;
    RecordOrigin origin;
  };

  Status ReadAll(const std::vector<ImportInput>& inputs) {
    std::uint64_t bytes_before = 0;
    std::vector<FieldViolation> problems;
    for (std::uint32_t index = 0; index < inputs.size(); ++index) {
      ImportReader reader(inputs[index].source.get(), inputs[index].format);
      api::v1::PlayItem item;
      for (;;) {
        SPINLOG_ASSIGN_OR_RETURN(bool more, reader.Next(&item));
        if (!more) break;
        ++records_;
        const RecordOrigin origin{index, item.line};
        if (progress_ != nullptr && records_ % 1024 == 0) {
          progress_->Update(records_, bytes_before + reader.bytes_read());
        }
        if (!item.play) {
          AddInvalid(origin, item.problems);
          continue;
        }
        storage::PlayRecord record;
        problems.clear();
        SPINLOG_RETURN_IF_ERROR(resolver_.Resolve(*item.play, &record, &problems));
        if (!problems.empty()) {
          AddInvalid(origin, problems);
          continue;
        }
        pending_.push_back({record, origin});
        if (pending_.size() >= options_.batch_plays && !Ship()) return Status::OK();
      }
      bytes_before += reader.bytes_read();
    }
    if (progress_ != nullptr) progress_->Update(records_, bytes_before);
    return Status::OK();
  }

  void AddInvalid(const RecordOrigin& origin, const std::vector<FieldViolation>& problems) {
    if (invalid_.Wants(origin)) {
      invalid_.Add({origin, DescribeProblems(problems)});
    } else {
      invalid_.Count();
    }
  }

  // Sorts and queues the pending plays; false when the writer has stopped.
  bool Ship() {
    if (pending_.empty()) return true;
    std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
      if (a.record.channel_id != b.record.channel_id) {
        return a.record.channel_id < b.record.channel_id;
      }
      return a.record.start < b.record.start;
    });
    PlayBatch batch;
    batch.records.reserve(pending_.size());
    batch.origins.reserve(pending_.size());
    for (const Pending& p : pending_) {
      batch.records.push_back(p.record);
      batch.origins.push_back(p.origin);
    }
    pending_.clear();
    return queue_->Push(std::move(batch));
  }

  PlayResolver resolver_;
  const ImportPipelineOptions options_;
  BatchQueue* queue_;
  ingest::ProgressReporter* progress_;
  std::vector<Pending> pending_;
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

// The writer's side: one InsertPlays per batch, and the outcomes counted.
Status WriteBatch(const PlayBatch& batch, storage::Store* store,
                  domain::CatalogueService* catalogue, ImportReport* report) {
  SPINLOG_ASSIGN_OR_RETURN(std::vector<storage::PlayInsertResult> results,
                           store->InsertPlays(batch.records));
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
  // The batch is in key order; the report wants the first ones in input order.
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
