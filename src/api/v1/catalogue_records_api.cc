#include "api/v1/catalogue_records_api.h"

#include <utility>

#include "api/v1/cache_control.h"
#include "api/v1/catalogue_json.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {
namespace {

http::Response Revalidated(json::JsonWriter& w) {
  http::Response response;
  response.body = w.Take();
  SetCacheControl(kCacheRevalidate, &response);  // a rename may change it at any time
  return response;
}

void HandleGetPerformer(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::PerformerId> id = PathId(request, "performer");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<storage::PerformerRecord> performer = s.catalogue->GetPerformer(*id);
  if (!performer.ok()) return respond(ErrorResponse(performer.status()));
  json::JsonWriter w;
  WritePerformer(w, *performer);
  respond(Revalidated(w));
}

void HandleGetSong(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::SongId> id = PathId(request, "song");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<storage::SongRecord> song = s.catalogue->GetSong(*id);
  if (!song.ok()) return respond(ErrorResponse(song.status()));
  Result<storage::PerformerRecord> performer = s.catalogue->GetPerformer(song->performer_id);
  if (!performer.ok()) return respond(ErrorResponse(performer.status()));
  json::JsonWriter w;
  WriteSong(w, *song, performer->name);
  respond(Revalidated(w));
}

}  // namespace

void RegisterCatalogueRecordRoutes(const Services& services, http::Router* router) {
  router->Add(http::Method::kGet, "/api/v1/performers/{id}", GetRouteAttributes(),
              [&services](http::Request&& request, http::Responder respond) {
                HandleGetPerformer(services, std::move(request), std::move(respond));
              });
  router->Add(http::Method::kGet, "/api/v1/songs/{id}", GetRouteAttributes(),
              [&services](http::Request&& request, http::Responder respond) {
                HandleGetSong(services, std::move(request), std::move(respond));
              });
}

}  // namespace spinlog::api::v1
