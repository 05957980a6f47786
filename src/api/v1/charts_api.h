// GET /api/v1/charts: the chart of a set of channels over a period, one page
// at a time, each entry with its history (charts/chart_query.h).
//
// Query parameters:
//   channel_id  ids, comma-separated and/or repeated (at most 5,000); or
//   group       a channel group's id or name (/api/v1/channel-groups)
//   period      day | week | month | year, with `start`: the UTC calendar
//               period holding `start` (weeks run Monday to Monday); or
//   from, to    any range [from, to) instead of period and start
//   limit       entries per page, 1 to 1,000 (default 40)
//   cursor      the `next` of the previous page
//   weighted    true: rank by plays times each channel's audience (channels
//               without one weigh 0 and are listed as unweighted_channel_ids)
// The previous period is the range of the same length just before.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

inline constexpr std::int64_t kDefaultChartLimit = 40;
inline constexpr std::int64_t kMaxChartLimit = 1000;

void RegisterChartRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
