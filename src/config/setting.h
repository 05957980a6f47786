// A configuration setting read from somewhere other than the command line:
// the same names and textual values as the command-line options, plus where
// it came from, so that a bad value can be reported against its source.
#pragma once

#include <string>

namespace spinlog::config {

struct Setting {
  // The option's long name without dashes, with '-' between words:
  // "chart-cache-mb" (the file may spell it chart_cache_mb).
  std::string key;
  // The value as text, as it would be typed after --key=: "256", "true",
  // "127.0.0.1:8080". A list is comma-separated.
  std::string value;
  // Where it was read, for messages: "SPINLOG_CHART_CACHE_MB" or
  // "spinlog.toml:3".
  std::string origin;
};

}  // namespace spinlog::config
