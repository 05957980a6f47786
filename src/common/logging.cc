#include "common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace spinlog::logging {
namespace {

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

void Init(Level level) {
  auto logger = spdlog::stderr_logger_mt("spinlog");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void Log(Level level, std::string_view message) {
  spdlog::default_logger_raw()->log(ToSpd(level), "{}", message);
}

}  // namespace spinlog::logging
