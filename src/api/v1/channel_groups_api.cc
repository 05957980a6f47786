#include "api/v1/channel_groups_api.h"

#include <string>
#include <vector>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/cursor.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {
namespace {

constexpr std::int64_t kDefaultListLimit = 100;
constexpr std::int64_t kMaxListLimit = 1000;
// Cursors of the group list: not tied to any query parameter.
constexpr std::uint64_t kGroupListFingerprint = 0x67726f757073ULL;  // "groups"

void WriteGroup(json::JsonWriter& w, const storage::ChannelGroupRecord& group) {
  w.StartObject();
  w.Key("id");
  w.Uint(group.id);
  w.Key("name");
  w.String(group.name);
  w.Key("channel_ids");
  w.StartArray();
  for (storage::ChannelId channel : group.channels) w.Uint(channel);
  w.EndArray();
  w.EndObject();
}

http::Response GroupResponse(int status, const storage::ChannelGroupRecord& group) {
  json::JsonWriter w;
  WriteGroup(w, group);
  http::Response response;
  response.status = status;
  response.body = w.Take();
  return response;
}

void HandleCreate(const Services& s, http::Request&& request, http::Responder respond) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  const std::string name = in.OptionalString("name", "");
  if (!in.Has("name")) in.AddViolation("name", "missing");
  std::vector<storage::ChannelId> channels;
  if (in.Has("channel_ids")) channels = in.IdList("channel_ids", domain::kMaxGroupChannels);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  bool created = false;
  Result<domain::GroupPtr> group = s.groups->Create(name, channels, &created);
  if (!group.ok()) return respond(ErrorResponse(group.status()));
  http::Response response = GroupResponse(created ? 201 : 200, **group);
  response.headers.emplace_back("Location",
                                "/api/v1/channel-groups/" + std::to_string((*group)->id));
  respond(std::move(response));
}

void HandleList(const Services& s, http::Request&& request, http::Responder respond) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  const auto limit = static_cast<std::size_t>(in.Limit("limit", kDefaultListLimit, kMaxListLimit));
  const std::string cursor_text = in.OptionalString("cursor", "");
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  storage::ChannelGroupId after = 0;
  if (!cursor_text.empty()) {
    const std::optional<Cursor> cursor = DecodeCursor(cursor_text);
    if (!cursor || cursor->fingerprint != kGroupListFingerprint ||
        cursor->position > std::numeric_limits<storage::ChannelGroupId>::max()) {
      return respond(
          ErrorResponse(Status::InvalidFields({{"cursor", "is not a cursor of this list"}})));
    }
    after = static_cast<storage::ChannelGroupId>(cursor->position);
  }
  // One more than asked tells whether there is a next page.
  Result<std::vector<domain::GroupPtr>> groups = s.groups->List(after, limit + 1);
  if (!groups.ok()) return respond(ErrorResponse(groups.status()));
  const bool more = groups->size() > limit;
  if (more) groups->pop_back();
  json::JsonWriter w;
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (const domain::GroupPtr& group : *groups) WriteGroup(w, *group);
  w.EndArray();
  w.Key("next");
  if (more) {
    w.String(EncodeCursor({groups->back()->id, kGroupListFingerprint}));
  } else {
    w.Null();
  }
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  SetCacheControl(kCacheRevalidate, &response);  // groups come and go at any time
  respond(std::move(response));
}

void HandleGet(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelGroupId> id = PathId(request, "channel group");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<domain::GroupPtr> group = s.groups->Get(*id);
  if (!group.ok()) return respond(ErrorResponse(group.status()));
  http::Response response = GroupResponse(200, **group);
  SetCacheControl(kCacheRevalidate, &response);  // PATCH may change it at any time
  respond(std::move(response));
}

void HandlePatch(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelGroupId> id = PathId(request, "channel group");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  domain::GroupChange change;
  if (in.Has("name")) change.name = in.OptionalString("name", "");
  if (in.Has("channel_ids")) change.channels = in.IdList("channel_ids", domain::kMaxGroupChannels);
  if (in.Has("add_channel_ids")) {
    change.add = in.IdList("add_channel_ids", domain::kMaxGroupChannels);
  }
  if (in.Has("remove_channel_ids")) {
    change.remove = in.IdList("remove_channel_ids", domain::kMaxGroupChannels);
  }
  if (in.ok() && !change.name && !change.channels && !in.Has("add_channel_ids") &&
      !in.Has("remove_channel_ids")) {
    in.AddViolation("body", "give name, channel_ids, add_channel_ids or remove_channel_ids");
  }
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  Result<domain::GroupPtr> group = s.groups->Update(*id, change);
  respond(group.ok() ? GroupResponse(200, **group) : ErrorResponse(group.status()));
}

void HandleDelete(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelGroupId> id = PathId(request, "channel group");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  const Status deleted = s.groups->Delete(*id);
  if (!deleted.ok()) return respond(ErrorResponse(deleted));
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  respond(std::move(response));
}

using Handler = void (*)(const Services&, http::Request&&, http::Responder);

}  // namespace

void RegisterChannelGroupRoutes(const Services& services, http::Router* router) {
  const auto add = [&](http::Method method, const char* path, bool is_write, Handler handler) {
    http::RouteAttributes attributes =
        method == http::Method::kGet ? GetRouteAttributes() : http::RouteAttributes{};
    attributes.is_write = is_write;
    attributes.max_body_bytes = 4 << 20;  // 100,000 ids fit easily
    router->Add(method, path, attributes,
                [&services, handler](http::Request&& request, http::Responder respond) {
                  handler(services, std::move(request), std::move(respond));
                });
  };
  add(http::Method::kPost, "/api/v1/channel-groups", true, HandleCreate);
  add(http::Method::kGet, "/api/v1/channel-groups", false, HandleList);
  add(http::Method::kGet, "/api/v1/channel-groups/{id}", false, HandleGet);
  add(http::Method::kPatch, "/api/v1/channel-groups/{id}", true, HandlePatch);
  add(http::Method::kDelete, "/api/v1/channel-groups/{id}", true, HandleDelete);
}

}  // namespace spinlog::api::v1
