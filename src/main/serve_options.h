// The `serve` subcommand's options: one definition for the command line,
// the SPINLOG_* environment and the config file (src/config), so that a new
// option is configurable everywhere as soon as it is added here.
#pragma once

#include <string>

#include "main/serve_command.h"

namespace CLI {
class App;
}

namespace spinlog {

// What the command line of `serve` asked for besides the options themselves.
struct ServeCommandLine {
  ServeOptions options;
  // --durability as typed; folded into options.durability by
  // FinishServeOptions.
  std::string durability = "durable";
  // --config FILE; empty when none (SPINLOG_CONFIG may still name one).
  std::string config_file;
  // --print-config: show the effective configuration and exit.
  bool print_config = false;
  // --log-level: debug, info, warn or error.
  std::string log_level = "info";
  // --log-format: text or json.
  std::string log_format = "text";
};

// Adds every serve option to `serve`, bound to `line` (which must outlive it).
void AddServeOptions(CLI::App* serve, ServeCommandLine* line);

// Applies the environment and the config file under the command line
// (precedence: flags, then SPINLOG_* variables, then the file, then
// defaults) and folds the parsed strings into `line->options`. Returns an
// empty string on success, otherwise one line saying which setting is bad
// and why. `environ` is the process environment (null-terminated).
std::string FinishServeOptions(CLI::App* serve, ServeCommandLine* line, char** environ);

// The effective configuration as a TOML document, one `key = value` line per
// option with where it came from; secrets (passwords in URLs, tokens) masked.
std::string PrintServeConfig(const CLI::App& serve);

}  // namespace spinlog
