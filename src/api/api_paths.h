// Which API a path belongs to: answers that no handler writes (404, 405,
// 413, 401, 403, 429) take that API's error shape.
#pragma once

#include <string_view>

namespace spinlog::api {

// Whether `path` is under /api/v1 (the v1 error shape); otherwise it is the
// classic API's.
inline bool IsV1Path(std::string_view path) {
  return path.substr(0, 8) == "/api/v1/" || path == "/api/v1";
}

}  // namespace spinlog::api
