#include "common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

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

Format g_format = Format::kText;
std::shared_ptr<spdlog::logger> g_structured;

// The message as the inside of a JSON string.
std::string JsonEscaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace

void Init(Level level, Format format) {
  g_format = format;
  // A sink each: a sink keeps one pattern. Each line is one fwrite to
  // stderr, whose own lock keeps lines of both whole.
  auto logger = std::make_shared<spdlog::logger>(
      "spinlog", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern(format == Format::kJson
                          ? R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","message":"%v"})"
                          : "%Y-%m-%dT%H:%M:%S.%fZ %l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  g_structured = std::make_shared<spdlog::logger>(
      "structured", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  g_structured->set_pattern("%v");
  g_structured->flush_on(spdlog::level::info);
}

void Log(Level level, std::string_view message) {
  if (g_format == Format::kJson) {
    spdlog::default_logger_raw()->log(ToSpd(level), "{}", JsonEscaped(message));
  } else {
    spdlog::default_logger_raw()->log(ToSpd(level), "{}", message);
  }
}

void Structured(std::string_view json_object) {
  if (g_structured) g_structured->info("{}", json_object);
}

}  // namespace spinlog::logging
