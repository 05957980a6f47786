// Performers and songs by id:
//
//   GET /api/v1/performers/{id}  {"id","name"}
//   GET /api/v1/songs/{id}       {"id","title","performer":{"id","name"}}
//
// An unknown id is 404. Records can change (renames), so answers say
// Cache-Control: no-cache and are revalidated by ETag.
// (GET /api/v1/channels/{id} lives with its PATCH in channels_api.h.)
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

void RegisterCatalogueRecordRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
