// Logging: spdlog behind one small seam so that the rest of the code does not
// include spdlog's heavy headers. Nothing is logged on hot paths except the
// access log, one line per request.
#pragma once

#include <string_view>

namespace spinlog::logging {

enum class Level { kDebug, kInfo, kWarn, kError };

enum class Format {
  // 2026-12-02T10:00:00.123456Z info message
  kText,
  // {"time":"2026-12-02T10:00:00.123456Z","level":"info","message":"..."}
  kJson,
};

// Sets up the process-wide logger (stderr). Call once from main.
void Init(Level level, Format format = Format::kText);

// Writes `json_object` (one JSON object without a newline, e.g. an access
// log record) as a line of its own on stderr, whatever the format and level.
void Structured(std::string_view json_object);

void Log(Level level, std::string_view message);
inline void Debug(std::string_view m) { Log(Level::kDebug, m); }
inline void Info(std::string_view m) { Log(Level::kInfo, m); }
inline void Warn(std::string_view m) { Log(Level::kWarn, m); }
inline void Error(std::string_view m) { Log(Level::kError, m); }

}  // namespace spinlog::logging
