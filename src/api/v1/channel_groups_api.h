// /api/v1/channel-groups: named sets of channels for charts.
//
//   POST   /api/v1/channel-groups        {"name", "channel_ids": [..]} -> 201 + Location;
//                                        200 with the group when the name exists with
//                                        exactly these channels; 409 with other channels
//   GET    /api/v1/channel-groups        ?limit (1-1000, default 100) &cursor -> {"items", "next"}
//   GET    /api/v1/channel-groups/{id}
//   PATCH  /api/v1/channel-groups/{id}   {"name"?, "channel_ids"?, "add_channel_ids"?,
//                                         "remove_channel_ids"?}
//   DELETE /api/v1/channel-groups/{id}   -> 204
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

void RegisterChannelGroupRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
