#include "main/serve_options.h"

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/config_file.h"
#include "config/environment.h"

namespace spinlog {
namespace {

constexpr std::string_view kEnvironmentPrefix = "SPINLOG_";

// Options that steer the configuration itself rather than the server.
bool IsMetaOption(const std::string& key) {
  return key == "config" || key == "help" || key == "print-config";
}

// Settings whose values are secrets: shown masked by --print-config.
bool IsSecret(const std::string& key) {
  return key == "store" || key.find("password") != std::string::npos ||
         key.find("token") != std::string::npos || key.find("secret") != std::string::npos;
}

// "postgresql://user:pw@host/db" -> "postgresql://user:****@host/db"; a
// secret that is not a URL with a password is masked whole.
std::string Masked(const std::string& value) {
  const std::size_t scheme = value.find("://");
  if (scheme != std::string::npos) {
    const std::size_t at = value.find('@', scheme + 3);
    const std::size_t colon = value.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      return value.substr(0, colon + 1) + "****" + value.substr(at);
    }
    return value;  // a URL without a password holds no secret
  }
  return value.empty() ? value : "****";
}

// Whether the option's value is text (quoted in TOML) rather than a number
// or a flag.
bool IsText(const CLI::Option& option) {
  return option.get_type_name().rfind("TEXT", 0) == 0;
}

bool IsFlag(const CLI::Option& option) { return option.get_expected_max() == 0; }

// Gives `setting` to the option it names unless a higher layer already set
// it. Returns an error line, or empty.
std::string Apply(CLI::App* serve, const config::Setting& setting, bool unknown_is_error,
                  std::map<std::string, std::string>* origins) {
  const bool from_environment = setting.origin.rfind(kEnvironmentPrefix, 0) == 0;
  if (setting.key == "config" && !from_environment) {
    return setting.origin + ": config: a config file cannot name another one";
  }
  CLI::Option* option = nullptr;
  if (setting.key != "help") {
    try {
      option = serve->get_option("--" + setting.key);
    } catch (const CLI::OptionNotFound&) {
      option = nullptr;
    }
  }
  if (option == nullptr) {
    if (!unknown_is_error) {
      std::fprintf(stderr, "spinlog: warning: %s is not a serve setting; ignored\n",
                   setting.origin.c_str());
      return {};
    }
    return "config file " + setting.origin + ": " + setting.key +
           " is not a serve setting (see spinlog serve --help)";
  }
  if (option->count() > 0) return {};  // set by a layer that takes precedence
  try {
    option->add_result(setting.value);
    option->run_callback();
  } catch (const CLI::Error& error) {
    return (from_environment ? "" : "config file ") + setting.origin + ": " + error.what();
  }
  (*origins)[setting.key] = setting.origin;
  return {};
}

// Which layer set each option, for --print-config; filled by
// FinishServeOptions. One serve command per process.
std::map<std::string, std::string>& Origins() {
  static std::map<std::string, std::string> origins;
  return origins;
}

}  // namespace

void AddServeOptions(CLI::App* serve, ServeCommandLine* line) {
  ServeOptions& o = line->options;
  serve->add_option("--config", line->config_file,
                    "TOML file of settings, keys named like these options (listen = \"...\"). "
                    "Precedence: flags, then SPINLOG_* environment variables, then the file");
  serve->add_flag("--print-config", line->print_config,
                  "Print the effective configuration (secrets masked) and exit");
  serve->add_option("--listen", o.listen, "Address to listen on, HOST:PORT")->capture_default_str();
  serve->add_option("--data", o.data_dir, "Data directory (created when missing)")
      ->capture_default_str();
  serve->add_option("--threads", o.threads,
                    "HTTP event-loop threads; 0: one per core but one (at least one)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1024}));
  serve->add_option("--shutdown-grace", o.shutdown_grace_seconds,
                    "Seconds to let requests in flight finish at shutdown")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  serve->add_flag("--access-log", o.access_log, "Log one line per request");
  serve->add_option("--log-level", line->log_level, "debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  serve->add_option("--log-format", line->log_format,
                    "text, or json: one JSON object per line (access log lines are JSON always)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_option("--chart-cache-mb", o.chart_cache_mib,
                    "MiB of memory for counted chart periods kept for reuse")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  serve->add_flag("--reads-need-token", o.reads_need_token,
                  "Reads need a token with the read scope (by default reads are open)");
  serve->add_flag("--allow-anonymous-writes", o.allow_anonymous_writes,
                  "Accept writes without a token, while no token exists, on a listener that is "
                  "not loopback (by default such a server refuses to start without tokens)");
  serve->add_option("--rate-limit-token", o.token_rate,
                    "Requests per second allowed per API token; 0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  serve->add_option("--rate-limit-token-burst", o.token_burst,
                    "Requests a token may make at once; 0: one second's worth")
      ->capture_default_str();
  serve->add_option("--rate-limit-address", o.address_rate,
                    "Requests per second allowed per client address for requests without a "
                    "token; 0: no limit (behind a load balancer every client has its address)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  serve->add_option("--rate-limit-address-burst", o.address_burst,
                    "Requests an address may make at once; 0: one second's worth")
      ->capture_default_str();
  serve->add_option("--store-wait", o.store_wait_seconds,
                    "Seconds a server started on an inherited socket (socket activation, "
                    "handover) waits for the previous server to release the data directory")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  serve->add_option("--pid-file", o.pid_file,
                    "Write the serving process's pid here (a successor replaces it)");
  // Limits that protect the process (docs/operations.md, "Limits").
  serve->add_option("--max-connections", o.max_connections,
                    "Most simultaneous connections; more wait in the listen backlog")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  serve->add_option("--max-header-bytes", o.max_header_bytes,
                    "Largest request line plus headers; larger is answered 431")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1} << 10, std::size_t{64} << 10));
  serve->add_option("--max-body-bytes", o.max_body_bytes,
                    "Largest request body on any route; larger is answered 413 (most routes "
                    "accept less)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1} << 10, std::size_t{1} << 30));
  serve->add_option("--read-timeout", o.read_timeout_seconds,
                    "Seconds a connection may take to send a whole request, idle keep-alive "
                    "time included; then it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--write-timeout", o.write_timeout_seconds,
                    "Seconds an answer may take to be written to a client that does not read")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--max-request-time", o.max_request_time_seconds,
                    "Seconds a request may take to be answered; then its connection is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--store", o.store,
                    "Shared store instead of --data: postgresql://user@host:port/db (schema "
                    "migrated at start)");
  serve->add_option("--store-connections", o.store_connections,
                    "Connections to the shared store kept open at most")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  serve->add_option("--store-writers", o.store_writers,
                    "With --store: batches of plays written to it at once (the embedded "
                    "store overlaps two: one checked while the other is written)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  serve->add_option("--durability", line->durability,
                    "durable: answer a write once its log is synced to disk (survives a power "
                    "loss); relaxed: answer once the OS has it (survives a crash of spinlog, "
                    "not of the machine; synced at shutdown)")
      ->capture_default_str()
      ->check(CLI::IsMember({"durable", "relaxed"}));
}

std::string FinishServeOptions(CLI::App* serve, ServeCommandLine* line, char** environ) {
  std::map<std::string, std::string>& origins = Origins();
  for (const CLI::Option* option : serve->get_options()) {
    if (option->count() > 0) origins[option->get_single_name()] = "command line";
  }
  // The environment first: it may name the config file (SPINLOG_CONFIG).
  for (const config::Setting& setting : config::ReadEnvironment(environ, kEnvironmentPrefix)) {
    if (std::string error = Apply(serve, setting, false, &origins); !error.empty()) return error;
  }
  if (!line->config_file.empty()) {
    Result<std::vector<config::Setting>> file = config::ReadConfigFile(line->config_file);
    if (!file.ok()) return file.status().message();
    for (const config::Setting& setting : *file) {
      if (std::string error = Apply(serve, setting, true, &origins); !error.empty()) return error;
    }
  }
  line->options.durability =
      line->durability == "relaxed" ? Durability::kRelaxed : Durability::kDurable;
  return {};
}

std::string PrintServeConfig(const CLI::App& serve) {
  const std::map<std::string, std::string>& origins = Origins();
  std::string out = "# spinlog serve: effective configuration\n";
  for (const CLI::Option* option : serve.get_options()) {
    const std::string& key = option->get_single_name();
    if (IsMetaOption(key) || key.empty()) continue;
    std::string value;
    if (option->count() > 0) {
      value = option->results().back();
    } else {
      value = IsFlag(*option) ? "false" : option->get_default_str();
    }
    if (IsFlag(*option)) {
      // CLI11 keeps what enabled a flag ("true", "1", "on"...): print a TOML boolean.
      bool enabled = false;
      CLI::detail::lexical_cast(value, enabled);
      value = enabled ? "true" : "false";
    }
    if (IsSecret(key)) value = Masked(value);
    if (IsText(*option)) {
      std::string quoted = "\"";
      for (char c : value) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      value = quoted + "\"";
    }
    const auto origin = origins.find(key);
    out += key + " = " + value + "  # " +
           (origin == origins.end() ? std::string("default") : origin->second) + "\n";
  }
  return out;
}

}  // namespace spinlog
