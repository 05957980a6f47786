// Logging: spdlog behind one small seam so that the rest of the code does not
// include spdlog's heavy headers. Nothing is logged on hot paths except the
// access log, one line per request.
#pragma once

#include <string_view>

namespace spinlog::logging {

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets up the process-wide logger (stderr). Call once from main.
void Init(Level level);

void Log(Level level, std::string_view message);
inline void Info(std::string_view m) { Log(Level::kInfo, m); }
inline void Warn(std::string_view m) { Log(Level::kWarn, m); }
inline void Error(std::string_view m) { Log(Level::kError, m); }

}  // namespace spinlog::logging
