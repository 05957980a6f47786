// Settings from the process environment: SPINLOG_<NAME> for the option
// --name, upper case with '_' for '-' (SPINLOG_CHART_CACHE_MB).
#pragma once

#include <string_view>
#include <vector>

#include "config/setting.h"

namespace spinlog::config {

// The variables of `environ` (null-terminated, as main's environment) whose
// names start with `prefix` ("SPINLOG_"), as settings keyed by the rest of
// the name in lower case with '-' for '_'. A variable with an empty name
// after the prefix is skipped.
std::vector<Setting> ReadEnvironment(char** environ, std::string_view prefix);

// The variable name that sets `key` ("chart-cache-mb" ->
// "SPINLOG_CHART_CACHE_MB" for prefix "SPINLOG_").
std::string EnvironmentName(std::string_view prefix, std::string_view key);

}  // namespace spinlog::config
