#include "api/v1/cache_control.h"

#include <chrono>
#include <string>

namespace spinlog::api::v1 {

std::string_view CacheControlForRange(UnixMicros to, UnixMicros now) {
  const UnixMicros today_began = DayOf(now) * kMicrosPerDay;
  return to <= today_began ? kCacheSettledPast : kCacheRevalidate;
}

std::string_view CacheControlForRange(UnixMicros to) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return CacheControlForRange(
      to, std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
}

void SetCacheControl(std::string_view value, http::Response* response) {
  response->headers.emplace_back("Cache-Control", std::string(value));
}

}  // namespace spinlog::api::v1
