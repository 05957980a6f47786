// Lists of the catalogue, a page at a time:
//
//   GET /api/v1/channels    {"channels":[channel...],"next":<cursor> or null}
//   GET /api/v1/performers  {"performers":[performer...],"next":...}
//   GET /api/v1/songs       {"songs":[song...],"next":...}
//
// Items as GET /{id} answers them (catalogue_json.h). Query parameters:
//   sort         id (default: creation order) or name (bytewise order of the
//                stored NFC names; song titles)
//   name_prefix  only names (titles) that start with it, byte for byte after
//                NFC (leading whitespace dropped, trailing kept)
//   performer_id songs only: the songs of this performer. Titles are indexed
//                per performer, so songs need it for sort=name and name_prefix
//                (400 otherwise)
//   limit        items per page, 1 to 1,000 (default 100)
//   cursor       the `next` of the previous page (opaque; refused for another
//                list: other kind, sort, prefix or performer)
// Cursors hold the last item's sort key (its id, or its name and id): paging
// while records are created neither skips nor repeats a record that existed
// at the start. Costs are in domain/catalogue_service.h (ListChannels).
#pragma once

#include <cstdint>

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

inline constexpr std::int64_t kDefaultCatalogueListLimit = 100;
inline constexpr std::int64_t kMaxCatalogueListLimit = 1'000;

void RegisterCatalogueListRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
