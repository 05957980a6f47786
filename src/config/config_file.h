// The config file (`--config FILE`): TOML, one `key = value` per setting at
// the top level, keys named like the command-line options ("listen",
// "chart-cache-mb" or "chart_cache_mb").
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "config/setting.h"

namespace spinlog::config {

// Reads every top-level setting of the TOML file at `path`, in file order.
// Strings, integers, floats and booleans are settings; an array of those is a
// comma-separated list. Fails (InvalidArgument, one line naming the file, the
// line and the key) when the file cannot be read, is not valid TOML, or holds
// a table, a date or a nested array.
Result<std::vector<Setting>> ReadConfigFile(const std::string& path);

}  // namespace spinlog::config
