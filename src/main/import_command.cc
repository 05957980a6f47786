#include "main/import_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "charts/chart_service.h"
#include "domain/catalogue_service.h"
#include "ingest/import_progress.h"
#include "main/import_pipeline.h"
#include "main/import_report.h"
#include "storage/postgresql/postgresql_store.h"
#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "spinlog: %s\n", message.c_str());
  return 1;
}

// The inputs' total size when every one of them has a known size.
std::optional<std::uint64_t> TotalSize(const std::vector<ImportInput>& inputs) {
  std::uint64_t total = 0;
  for (const ImportInput& input : inputs) {
    std::optional<std::uint64_t> size = input.source->size();
    if (!size) return std::nullopt;
    total += *size;
  }
  return total;
}

// The shared store when --store names one (running nodes keep serving: each
// batch is one transaction, and their charts follow it through the play
// feed), else the data directory's embedded store.
Result<std::unique_ptr<storage::Store>> OpenImportStore(const ImportOptions& options) {
  if (!options.store.empty()) {
    SPINLOG_RETURN_IF_ERROR(storage::CheckPostgresUrl(options.store));
    storage::PostgresStoreOptions store_options;
    store_options.url = options.store;
    store_options.pool_size = 4;
    return storage::OpenPostgresStore(store_options);
  }
  storage::RocksDbStoreOptions store_options;
  store_options.path = options.data_dir;
  // One sync at the end instead of one per batch: an interrupted import is
  // completed by running it again, so nothing is lost by not syncing sooner.
  store_options.sync_writes = false;
  return storage::OpenRocksDbStore(store_options);
}

constexpr std::size_t kPostgresBatchPlays = 10'000;

}  // namespace

int RunImport(const ImportOptions& options) {
  const auto started = std::chrono::steady_clock::now();

  // Every input is opened before the store, so that a mistyped name costs
  // nothing and changes nothing.
  std::vector<ImportInput> inputs;
  std::vector<std::string> names;
  for (const std::string& file : options.files) {
    Result<std::unique_ptr<ingest::ByteSource>> source = ingest::OpenFileSource(file);
    if (!source.ok()) return Fail(source.status().message());
    names.push_back((*source)->name());
    inputs.push_back({std::move(source).value(), ChooseFormat(options.format, file)});
  }

  Result<std::unique_ptr<storage::Store>> opened = OpenImportStore(options);
  if (!opened.ok()) return Fail(opened.status().message());
  std::unique_ptr<storage::Store> store = std::move(opened).value();

  // The catalogue registers song names with the charts; an import serves no
  // charts, so this one is never rebuilt or read.
  charts::ChartService charts(store.get());
  domain::CatalogueService catalogue(store.get(), &charts);

  std::optional<ingest::ProgressReporter> progress;
  if (isatty(STDERR_FILENO)) progress.emplace(stderr, TotalSize(inputs));

  ImportPipelineOptions pipeline_options;
  if (!options.store.empty()) {
    // PostgreSQL writes a batch as one call of spinlog_insert_plays, whose
    // play feed row the running nodes read: batches of 10,000 keep that row
    // and the transaction small.
    pipeline_options.batch_plays = kPostgresBatchPlays;
    pipeline_options.first_batch_plays = kPostgresBatchPlays;
  }
  ImportReport report;
  const Status imported =
      RunImportPipeline(inputs, store.get(), &catalogue, pipeline_options,
                        progress ? &*progress : nullptr, &report);
  if (progress) progress->Stop();
  // Synced whatever happened, so that the summary's "created" is on disk.
  const Status flushed = store->Flush();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fputs(FormatImportSummary(report, names,
                                      options.store.empty()
                                          ? options.data_dir
                                          : storage::RedactPostgresUrl(options.store),
                                      seconds).c_str(), stdout);
  std::fflush(stdout);

  if (!imported.ok()) {
    return Fail(imported.message() +
                " (the import stopped there; what the summary counts is stored)");
  }
  if (!flushed.ok()) return Fail(flushed.message());
  return 0;
}

}  // namespace spinlog
