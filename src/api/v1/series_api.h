// Series for plots: every step of a range, zero when nothing was played.
//
//   GET /api/v1/songs/{id}/series       plays of the song per step
//   GET /api/v1/performers/{id}/series  plays of all the performer's songs per step
//   GET /api/v1/channels/{id}/series    plays and distinct songs on the channel per step
//
// Query parameters:
//   from, to    UTC midnights (dates): series count whole UTC days, [from, to)
//   step        day | week | month (default day); weeks run Monday to Monday
//               and months are calendar months, cut at `from` and `to`
//   channel_id  / group: the channels to count (songs and performers only;
//               default every channel)
// At most 10,000 steps.
//
//   GET /api/v1/songs/{id}/chart-history  the song's rank (null when it had
//       no play) and plays in each calendar period (period=day|week|month|year,
//       default week) from the one holding `from` to the one holding `to`
//       (any instants), on the chart of channel_id or group (required).
//       At most 1,000 periods.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

inline constexpr std::size_t kMaxSeriesSteps = 10'000;
inline constexpr std::size_t kMaxHistoryPeriods = 1'000;

void RegisterSeriesRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
