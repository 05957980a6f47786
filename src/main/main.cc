// spinlog: one binary, subcommands. Wiring only; the work is in the modules.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "common/logging.h"
#include "main/import_command.h"
#include "main/migrate_command.h"
#include "main/serve_command.h"
#include "main/serve_options.h"
#include "main/token_command.h"
#include "main/version.h"

namespace {

// Blocked before any thread starts, so that every thread inherits the mask
// and only serve's sigwait receives stop signals.
void BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR2);  // serve: hand over to a successor
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  // Nor may a write past the file-size limit (ulimit -f): it fails with
  // EFBIG, the store reports an I/O error and /readyz turns 503.
  std::signal(SIGXFSZ, SIG_IGN);
}

spinlog::logging::Level LevelNamed(const std::string& name) {
  if (name == "debug") return spinlog::logging::Level::kDebug;
  if (name == "warn") return spinlog::logging::Level::kWarn;
  if (name == "error") return spinlog::logging::Level::kError;
  return spinlog::logging::Level::kInfo;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"spinlog: records what radio channels air and what people stream, and answers "
               "plays, charts and catalogue questions over HTTP."};
  app.set_version_flag("--version", std::string("spinlog ") + spinlog::kVersion);
  app.require_subcommand(1);

  spinlog::ServeCommandLine serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API on the embedded store");
  spinlog::AddServeOptions(serve_cmd, &serve);

  spinlog::ImportOptions import;
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "Load plays from NDJSON or CSV files into a data directory that no server has open, or "
      "into a shared PostgreSQL store (--store) while its nodes serve. "
      "Idempotent by (channel, start): running an import again creates nothing new");
  CLI::Option* import_data =
      import_cmd->add_option("--data", import.data_dir, "Data directory (created when missing)")
          ->capture_default_str();
  import_cmd
      ->add_option("--store", import.store,
                   "Shared store instead of --data: postgresql://user@host:port/db (nodes may "
                   "serve meanwhile)")
      ->envname("SPINLOG_STORE")
      ->excludes(import_data);
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

  spinlog::TokenCommandOptions token;
  CLI::App* token_cmd = app.add_subcommand(
      "token", "Manage API tokens (docs/security.md); safe while a server runs");
  token_cmd->require_subcommand(1);
  CLI::App* token_create = token_cmd->add_subcommand(
      "create", "Make a token and print it (shown only once; only its hash is stored)");
  CLI::App* token_list = token_cmd->add_subcommand("list", "List tokens (never their secrets)");
  CLI::App* token_revoke =
      token_cmd->add_subcommand("revoke", "Revoke a token; servers refuse it within a second");
  std::vector<CLI::Option*> token_data_options;
  for (CLI::App* sub : {token_create, token_list, token_revoke}) {
    token_data_options.push_back(
        sub->add_option("--data", token.data_dir, "Data directory holding tokens.json")
            ->capture_default_str());
    sub->add_option("--store", token.store,
                    "Shared store instead of --data: postgresql://user@host:port/db (the "
                    "tokens every node over it honours)")
        ->envname("SPINLOG_STORE");
  }
  token_create->add_option("--name", token.name, "What the token is for, e.g. \"ingest-eu\"")
      ->required();
  token_create
      ->add_option("--scope", token.scopes,
                   "Comma-separated scopes: read, write (plays, catalogue, groups), admin "
                   "(merges, deletions)")
      ->capture_default_str();
  token_list->add_flag("--all", token.all, "Include revoked tokens");
  token_revoke->add_option("id", token.id, "The token's id (see token list)")->required();

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
    if (std::string bad = spinlog::FinishServeOptions(serve_cmd, &serve, environ); !bad.empty()) {
      std::fprintf(stderr, "spinlog: %s\n", bad.c_str());
      return 2;
    }
    if (serve.print_config) {
      std::fputs(spinlog::PrintServeConfig(*serve_cmd).c_str(), stdout);
      return 0;
    }
    // SIGUSR2 starts the successor the same way, from the same directory.
    serve.options.command_line.assign(argv, argv + argc);
    BlockStopSignals();
    spinlog::logging::Init(LevelNamed(serve.log_level), serve.log_format == "json"
                                                            ? spinlog::logging::Format::kJson
                                                            : spinlog::logging::Format::kText);
    return spinlog::RunServe(serve.options);
  }
  spinlog::logging::Init(spinlog::logging::Level::kInfo);
  // SIGINT and SIGTERM keep their default action here: an import that is
  // stopped leaves whole batches behind, and running it again completes it.
  if (import_cmd->parsed()) return spinlog::RunImport(import);
  if (!token.store.empty()) {
    for (const CLI::Option* data : token_data_options) {
      if (data->count() > 0) {
        std::fprintf(stderr, "spinlog: give --data or --store (or SPINLOG_STORE), not both\n");
        return 2;
      }
    }
  }
  if (token_create->parsed()) return spinlog::RunTokenCreate(token);
  if (token_list->parsed()) return spinlog::RunTokenList(token);
  if (token_revoke->parsed()) return spinlog::RunTokenRevoke(token);

  if (migrate_cmd->parsed()) return spinlog::RunMigrate(migrate_store);
  return 0;
}
