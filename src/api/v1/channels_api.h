// /api/v1/channels/{id}: a channel's record, and its changes.
//
//   GET   /api/v1/channels/{id}  {"id","name","country","audience"}
//   PATCH /api/v1/channels/{id}  {"name"?, "country"? (null clears), "audience"? (null clears)}
//
// A rename keeps the id and every play; the audience weighs the channel in
// weighted charts at once.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

void RegisterChannelRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
