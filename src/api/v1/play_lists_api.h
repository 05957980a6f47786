// Lists of plays, a page at a time:
//
//   GET /api/v1/channels/{id}/plays    the channel's plays
//   GET /api/v1/songs/{id}/plays       the song's plays on every channel
//   GET /api/v1/performers/{id}/plays  the plays of all the performer's songs
//
// Query parameters:
//   from, to  ISO 8601 instants: the plays that overlap [from, to) (start
//             before `to`, end after `from`), the rule of the classic
//             get_channel_plays; either may be left out for an open end.
//   order     newest (default) or oldest: by start, then channel id
//   limit     plays per page, 1 to 1,000 (default 100)
//   cursor    the `next` of the previous page (opaque; refused for another
//             subject, window or order)
// Answer: {"plays":[{"channel":{"id","name"},"song":{"id","title"},
// "performer":{"id","name"},"start","end"}, ...],"next":<cursor> or null}.
// Cursors hold the last play's (start, channel id): paging while plays are
// added neither skips nor repeats a play.
// An unknown id is 404; bad parameters are 400 naming every bad field.
#pragma once

#include <cstdint>

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

inline constexpr std::int64_t kDefaultPlayListLimit = 100;
inline constexpr std::int64_t kMaxPlayListLimit = 1'000;

void RegisterPlayListRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
