#include "api/v1/channels_api.h"

#include <charconv>
#include <string>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/catalogue_json.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "domain/channel_attributes.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {
namespace {

http::Response ChannelResponse(const storage::ChannelRecord& channel) {
  json::JsonWriter w;
  WriteChannel(w, channel);
  http::Response response;
  response.body = w.Take();
  return response;
}

void HandleGet(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelId> id = PathId(request, "channel");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<storage::ChannelRecord> channel = s.catalogue->GetChannel(*id);
  if (!channel.ok()) return respond(ErrorResponse(channel.status()));
  http::Response response = ChannelResponse(*channel);
  SetCacheControl(kCacheRevalidate, &response);  // PATCH may change it at any time
  respond(std::move(response));
}

void HandlePatch(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelId> id = PathId(request, "channel");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  domain::CatalogueService::ChannelChange change;
  if (in.Has("name")) change.name = in.OptionalString("name", "");
  if (const FieldValue* country = fields->Find("country")) {
    if (country->kind == json::JsonKind::kNull) {
      change.country = "";
    } else {
      change.country = in.OptionalString("country", "");
    }
  }
  if (const FieldValue* audience = fields->Find("audience")) {
    if (audience->kind == json::JsonKind::kNull) {
      change.audience = -1;
    } else {
      std::int64_t value = 0;
      const std::string& text = audience->text;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (audience->kind != json::JsonKind::kNumber || error != std::errc() ||
          end != text.data() + text.size() || value < 0) {
        in.AddViolation("audience", "must be a whole number of listeners, 0 or more, or null");
      } else {
        change.audience = value;
      }
    }
  }
  if (const FieldValue* attributes = fields->Find("attributes")) {
    change.attributes =
        domain::ReadAttributesPatch(attributes->kind, attributes->text, in.violations());
  }
  if (in.ok() && !change.name && !change.country && !change.audience && !change.attributes) {
    in.AddViolation("body", "give name, country, audience or attributes");
  }
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  Result<storage::ChannelRecord> updated = s.catalogue->UpdateChannel(*id, change);
  respond(updated.ok() ? ChannelResponse(*updated) : ErrorResponse(updated.status()));
}

}  // namespace

void RegisterChannelRoutes(const Services& services, http::Router* router) {
  router->Add(http::Method::kGet, "/api/v1/channels/{id}", GetRouteAttributes(),
              [&services](http::Request&& request, http::Responder respond) {
                HandleGet(services, std::move(request), std::move(respond));
              });
  http::RouteAttributes write;
  write.is_write = true;
  write.max_body_bytes = 64 << 10;
  router->Add(http::Method::kPatch, "/api/v1/channels/{id}", write,
              [&services](http::Request&& request, http::Responder respond) {
                HandlePatch(services, std::move(request), std::move(respond));
              });
}

}  // namespace spinlog::api::v1
