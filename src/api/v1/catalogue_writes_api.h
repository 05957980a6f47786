// Writes of the catalogue:
//
//   POST   /api/v1/channels | /performers | /songs   create; 201 + Location, or
//          200 + Location with the existing record when the natural key (name;
//          performer_id + title) exists already (the body's other fields are
//          then ignored)
//   PATCH  /api/v1/performers/{id} | /songs/{id}      change the fields given;
//          renames keep ids and plays; 409 when the new natural key is taken
//   DELETE /api/v1/channels/{id} | /performers/{id} | /songs/{id}
//          204; 409 while plays, songs or a channel group refer to it
//   POST   /api/v1/songs/{id}/merge | /performers/{id}/merge  {"into": id}
//          folds the record into `into` (plays, counts, songs); the merged
//          record is gone (404) afterwards; 200 with the target record
//
// (GET and PATCH /api/v1/channels/{id} live in channels_api.h.)
// Bodies are JSON objects (or forms). Optional text fields take a string or
// null (null or "" clears); every bad field is named in one 400.
// Writes are is_write routes; deletions and merges are is_admin too.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

void RegisterCatalogueWriteRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
