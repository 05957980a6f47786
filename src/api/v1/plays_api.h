// POST /api/v1/plays: plays in bulk. The body is one play (a JSON object), a
// JSON array of plays, or NDJSON (Content-Type application/x-ndjson), at
// most kMaxBatchPlays plays and kMaxBatchBytes bytes. Each item is judged on
// its own: created, duplicate, conflict or invalid; one bad item never
// rejects the others. HTTP 200 when every item is created or duplicate,
// 207 (Multi-Status) when any is a conflict or invalid.
#pragma once

#include <cstddef>

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

inline constexpr std::size_t kMaxBatchPlays = 10'000;
inline constexpr std::size_t kMaxBatchBytes = 16 << 20;

void RegisterPlaysRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
