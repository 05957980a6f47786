// spinlog: one binary, subcommands. Wiring only; the work is in the modules.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "common/logging.h"
#include "main/import_command.h"
#include "main/migrate_command.h"
#include "main/serve_command.h"
#include "main/version.h"

namespace {

// Blocked before any thread starts, so that every thread inherits the mask
// and only serve's sigwait receives stop signals.
void BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  // Nor may a write past the file-size limit (ulimit -f): it fails with
  // EFBIG, the store reports an I/O error and /readyz turns 503.
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"spinlog: records what radio channels air and what people stream, and answers "
               "plays, charts and catalogue questions over HTTP."};
  app.set_version_flag("--version", std::string("spinlog ") + spinlog::kVersion);
  app.require_subcommand(1);

  spinlog::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API on the embedded store");
  serve_cmd->add_option("--listen", serve.listen, "Address to listen on, HOST:PORT")
      ->capture_default_str();
  serve_cmd->add_option("--data", serve.data_dir, "Data directory (created when missing)")
      ->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "HTTP event-loop threads; 0: one per core")
      ->capture_default_str();
  serve_cmd->add_option("--shutdown-grace", serve.shutdown_grace_seconds,
                        "Seconds to let requests in flight finish at shutdown")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  serve_cmd->add_flag("--access-log", serve.access_log, "Log one line per request");
  serve_cmd
      ->add_option("--chart-cache-mb", serve.chart_cache_mib,
                   "MiB of memory for counted chart periods kept for reuse")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  serve_cmd
      ->add_option("--store", serve.store,
                   "Shared store instead of --data: postgresql://user@host:port/db (schema "
                   "migrated at start)")
      ->envname("SPINLOG_STORE");
  serve_cmd
      ->add_option("--store-connections", serve.store_connections,
                   "Connections to the shared store kept open at most")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  std::string durability = "durable";
  serve_cmd
      ->add_option("--durability", durability,
                   "durable: answer a write once its log is synced to disk (survives a power "
                   "loss); relaxed: answer once the OS has it (survives a crash of spinlog, "
                   "not of the machine; synced at shutdown)")
      ->capture_default_str()
      ->check(CLI::IsMember({"durable", "relaxed"}));

  spinlog::ImportOptions import;
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "Load plays from NDJSON or CSV files into a data directory that no server has open. "
      "Idempotent by (channel, start): running an import again creates nothing new");
  import_cmd->add_option("--data", import.data_dir, "Data directory (created when missing)")
      ->capture_default_str();
  import_cmd
      ->add_option("--format", import.format,
                   "ndjson or csv; by default .csv files are CSV and everything else NDJSON")
      ->check(CLI::IsMember({"ndjson", "csv"}));
  import_cmd
      ->add_option("files", import.files,
                   "Files to import, in order; - reads standard input. NDJSON: one JSON object "
                   "per line. CSV: a header row naming the columns. Fields: channel, performer, "
                   "title, start, end (or channel_id / song_id instead of names)")
      ->required();

  std::string migrate_store;
  CLI::App* migrate_cmd = app.add_subcommand(
      "migrate",
      "Create or upgrade the schema of a shared PostgreSQL store to the version this build knows");
  migrate_cmd
      ->add_option("--store", migrate_store, "The store: postgresql://user@host:port/db")
      ->envname("SPINLOG_STORE")
      ->required();

  // CLI11 reports bad command lines by exception; we turn them into one line.
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One code for every bad command line, as shells and scripts expect.
    std::fprintf(stderr, "spinlog: %s (see spinlog --help)\n", e.what());
    return 2;
  }

  if (serve_cmd->parsed()) {
    serve.durability =
        durability == "relaxed" ? spinlog::Durability::kRelaxed : spinlog::Durability::kDurable;
    BlockStopSignals();
    spinlog::logging::Init(spinlog::logging::Level::kInfo);
    return spinlog::RunServe(serve);
  }
  spinlog::logging::Init(spinlog::logging::Level::kInfo);
  // SIGINT and SIGTERM keep their default action here: an import that is
  // stopped leaves whole batches behind, and running it again completes it.
  if (import_cmd->parsed()) return spinlog::RunImport(import);
  if (migrate_cmd->parsed()) return spinlog::RunMigrate(migrate_store);
  return 0;
}
