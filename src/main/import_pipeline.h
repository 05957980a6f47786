// The pipeline of `spinlog import`: a reader thread reads the inputs in large
// chunks, decodes each record (import_reader.h), resolves its names and ids
// through the catalogue (creating missing channels, performers and songs, as
// POST /api/v1/plays does) and hands batches of plays through a bounded
// queue to the calling thread, which writes each batch with one
// Store::InsertPlays. So decoding and writing overlap, and memory stays
// bounded by a few batches whatever the size of the input.
//
// Each batch is sorted by (channel, start) before it is written, stably, so
// that plays repeated inside a batch resolve exactly as in input order, and
// the store inserts keys in order (cheaper for RocksDB's memtable).
//
// Durability is the caller's business: the pipeline writes, the caller
// flushes the store afterwards.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/catalogue_service.h"
#include "ingest/byte_source.h"
#include "ingest/import_progress.h"
#include "main/import_reader.h"
#include "main/import_report.h"
#include "storage/store.h"

namespace spinlog {

struct ImportInput {
  std::unique_ptr<ingest::ByteSource> source;
  ImportFormat format = ImportFormat::kNdjson;
};

struct ImportPipelineOptions {
  // Plays per Store::InsertPlays call. Importing W1 took 2.0 s with 10,000,
  // 2.3 s with 20,000 and 2.4 s with 50,000 (docs/benchmarks.md): smaller
  // batches stay in the CPU caches. Default: 10000 plays
  std::size_t batch_plays = 250'000;
  // Batches decoded ahead of the writer (2 to 8 made no difference).
  // Default: 4 batches
  std::size_t queued_batches = 4;
};

// Imports `inputs`, in order, into `store`. `progress` (may be null) is kept
// up to date with records read and input bytes consumed.
// Returns OK when every input was read to its end, else the first error: a
// source's IOError, InvalidArgument for an unusable CSV header, or the
// store's error. In every case *report counts what was done (every play
// counted as created was written before the call returned).
// REQUIRES: the pointers outlive the call.
Status RunImportPipeline(const std::vector<ImportInput>& inputs, storage::Store* store,
                         domain::CatalogueService* catalogue, const ImportPipelineOptions& options,
                         ingest::ProgressReporter* progress, ImportReport* report);

}  // namespace spinlog
