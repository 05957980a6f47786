// The pipeline of `spinlog import`: a reader thread reads the inputs in large
// chunks, decodes each record (import_reader.h; NDJSON lines of the common
// shape through ImportResolver's fast path), resolves its names and ids
// through the catalogue (creating missing channels, performers and songs, as
// POST /api/v1/plays does) and hands batches of plays through a bounded
// queue to the calling thread, which writes each batch with one
// Store::BulkInsertPlays. So decoding and writing overlap, and memory stays
// bounded by a few batches whatever the size of the input.
//
// The reader sorts each batch by (channel, start) before handing it over,
// plays with the same key kept in input order: the store judges a play
// repeated inside a batch against its first occurrence, as InsertPlays does,
// and skips its own sort of a sorted batch. Sorting there takes it off the
// writer thread, which limits an import.
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
  // Plays per Store::BulkInsertPlays call, at most. Each batch becomes one
  // SST file per column family; fewer, larger files mean less compaction
  // later (W2's 30 days took 160 s in batches of 250,000 with ZSTD files,
  // 51 s in batches of 1,000,000 with LZ4); memory is about 150 bytes a play
  // times queued_batches + 1. Default: 1000000 plays
  std::size_t batch_plays = 1'000'000;
  // The first batch; each next one doubles, up to batch_plays, so that the
  // writer starts while the reader is still early in the input (a small
  // import overlaps reading and writing too). Default: 125000 plays
  std::size_t first_batch_plays = 125'000;
  // Batches decoded ahead of the writer. Default: 2 batches
  std::size_t queued_batches = 2;
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
