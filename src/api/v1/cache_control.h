// Cache-Control of /api/v1 GET answers: how long a client or shared cache
// may reuse an answer before asking again (with the ETag the Router adds,
// so asking again costs a 304 when nothing changed).
//
// Nothing /api/v1 answers is immutable: a play may be stored for any past
// time (a station reporting late, an import, a backdated correction), and
// names and audiences can be changed. The rule is therefore about how likely
// a change is, and how stale an answer may be:
//   - a range that ended before the current UTC day began: plays for it are
//     exceptional, so caches may reuse the answer for 60 s
//     ("public, max-age=60");
//   - a range that includes today or the future: plays arrive all the time,
//     so every use revalidates ("no-cache");
//   - records that can be changed at any time (channels, channel groups):
//     "no-cache".
//
// Thread-safety: pure functions, except that the one-argument
// CacheControlForRange reads the system clock.
#pragma once

#include <string_view>

#include "common/time.h"
#include "http/request.h"

namespace spinlog::api::v1 {

inline constexpr std::string_view kCacheSettledPast = "public, max-age=60";
inline constexpr std::string_view kCacheRevalidate = "no-cache";

// The Cache-Control for an answer about the range ending at `to` (exclusive)
// when the time is `now`: kCacheSettledPast when `to` is at or before the
// UTC midnight that began now's day, kCacheRevalidate otherwise.
// REQUIRES: `now` is within years 0001..9999, as any clock's time is.
std::string_view CacheControlForRange(UnixMicros to, UnixMicros now);
// The same, at the current time of the system clock.
std::string_view CacheControlForRange(UnixMicros to);

// Adds a Cache-Control header with `value` to `response`.
void SetCacheControl(std::string_view value, http::Response* response);

}  // namespace spinlog::api::v1
