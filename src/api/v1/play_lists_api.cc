#include "api/v1/play_lists_api.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/cursor.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "json/json_writer.h"
#include "text/datetime.h"
#include "text/quoting.h"

namespace spinlog::api::v1 {
namespace {

// Whose plays a list holds. Part of cursor fingerprints: never renumber.
enum class Subject : std::uint64_t { kChannel = 1, kSong = 2, kPerformer = 3 };

struct ListRequest {
  std::uint32_t id = 0;
  domain::PlayListQuery query;
  // Which list a cursor belongs to: subject, id, window and order (not the
  // limit: pages of one list may differ in size).
  std::uint64_t fingerprint = 0;
};

const char* NameOf(Subject subject) {
  switch (subject) {
    case Subject::kChannel:
      return "channel";
    case Subject::kSong:
      return "song";
    case Subject::kPerformer:
      return "performer";
  }
  return "";
}

// OK when the subject exists; NotFound "no <subject> has id N" otherwise.
Status CheckExists(const Services& s, Subject subject, std::uint32_t id) {
  switch (subject) {
    case Subject::kChannel:
      return s.catalogue->GetChannel(id).status();
    case Subject::kSong:
      return s.catalogue->GetSong(id).status();
    case Subject::kPerformer:
      return s.catalogue->GetPerformer(id).status();
  }
  return Status::OK();
}

// Reads the request; an error Status names every bad field.
Result<ListRequest> ReadListRequest(const Services& s, Subject subject,
                                    const http::Request& request) {
  ListRequest list;
  // The subject first: the plays of nothing are a 404 whatever the parameters.
  SPINLOG_ASSIGN_OR_RETURN(list.id, PathId(request, NameOf(subject)));
  SPINLOG_RETURN_IF_ERROR(CheckExists(s, subject, list.id));

  SPINLOG_ASSIGN_OR_RETURN(RequestFields fields, RequestFields::Read(request));
  FieldReader in(fields);
  domain::PlayListQuery& query = list.query;
  // Without a bound the window runs to the end of the times a play can have.
  query.from = in.Has("from") ? in.Datetime("from") : text::kMinDatetime;
  query.to = in.Has("to") ? in.Datetime("to") : text::kMaxDatetime;
  const std::string order = in.OptionalString("order", "newest");
  if (order == "oldest") {
    query.order = domain::PlayOrder::kOldestFirst;
  } else if (order != "newest") {
    in.AddViolation("order", "must be newest or oldest, not " + text::QuoteForMessage(order));
  }
  query.limit =
      static_cast<std::size_t>(in.Limit("limit", kDefaultPlayListLimit, kMaxPlayListLimit));
  const std::string cursor_text = in.OptionalString("cursor", "");
  std::optional<KeyCursor> cursor;
  if (!cursor_text.empty()) {
    cursor = DecodeKeyCursor(cursor_text);
    if (!cursor || cursor->minor > std::numeric_limits<storage::ChannelId>::max()) {
      in.AddViolation("cursor", "is not a cursor of a list of plays");
    }
  }
  if (in.ok() && query.to <= query.from) in.AddViolation("to", "must be after from");
  if (!in.ok()) return in.status();

  list.fingerprint = Fingerprint()
                         .Add(static_cast<std::uint64_t>(subject))
                         .Add(list.id)
                         .Add(static_cast<std::uint64_t>(query.from))
                         .Add(static_cast<std::uint64_t>(query.to))
                         .Add(query.order == domain::PlayOrder::kOldestFirst ? 1 : 0)
                         .value();
  if (cursor) {
    // Checked last: which list the query names is known only once it is valid.
    if (cursor->fingerprint != list.fingerprint) {
      return Status::InvalidFields(
          {{"cursor", "belongs to another list of plays (other subject, window or order)"}});
    }
    query.after = storage::PlayPosition{static_cast<UnixMicros>(cursor->major),
                                        static_cast<storage::ChannelId>(cursor->minor)};
  }
  return list;
}

void WriteNamed(json::JsonWriter& w, const char* key, std::uint32_t id, const char* name_key,
                const std::string& name) {
  w.Key(key);
  w.StartObject();
  w.Key("id");
  w.Uint(id);
  w.Key(name_key);
  w.String(name);
  w.EndObject();
}

http::Response PageResponse(const ListRequest& list, const domain::PlayListPage& page) {
  json::JsonWriter w;
  w.StartObject();
  w.Key("plays");
  w.StartArray();
  for (const domain::PlayByNames& play : page.plays) {
    w.StartObject();
    WriteNamed(w, "channel", play.channel_id, "name", play.channel);
    WriteNamed(w, "song", play.song_id, "title", play.title);
    WriteNamed(w, "performer", play.performer_id, "name", play.performer);
    w.Key("start");
    w.String(text::FormatDatetimeUtc(play.start));
    w.Key("end");
    w.String(text::FormatDatetimeUtc(play.end));
    w.EndObject();
  }
  w.EndArray();
  w.Key("next");
  if (page.more && !page.plays.empty()) {
    const domain::PlayByNames& last = page.plays.back();
    w.String(EncodeKeyCursor(
        {static_cast<std::uint64_t>(last.start), last.channel_id, list.fingerprint}));
  } else {
    w.Null();
  }
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  SetCacheControl(CacheControlForRange(list.query.to), &response);
  return response;
}

Result<domain::PlayListPage> ListPlays(const Services& s, Subject subject,
                                       const ListRequest& list) {
  switch (subject) {
    case Subject::kChannel:
      return s.plays->ListChannelPlays(list.id, list.query);
    case Subject::kSong:
      return s.plays->ListSongPlays(list.id, list.query);
    case Subject::kPerformer:
      return s.plays->ListPerformerPlays(list.id, list.query);
  }
  return Status::Internal("no such subject of a list of plays");
}

void HandlePlayList(const Services& s, Subject subject, http::Request&& request,
                    http::Responder respond) {
  Result<ListRequest> list = ReadListRequest(s, subject, request);
  if (!list.ok()) return respond(ErrorResponse(list.status()));
  Result<domain::PlayListPage> page = ListPlays(s, subject, *list);
  respond(page.ok() ? PageResponse(*list, *page) : ErrorResponse(page.status()));
}

}  // namespace

void RegisterPlayListRoutes(const Services& services, http::Router* router) {
  const std::pair<const char*, Subject> routes[] = {
      {"/api/v1/channels/{id}/plays", Subject::kChannel},
      {"/api/v1/songs/{id}/plays", Subject::kSong},
      {"/api/v1/performers/{id}/plays", Subject::kPerformer}};
  for (const auto& [path, subject] : routes) {
    router->Add(http::Method::kGet, path, GetRouteAttributes(),
                [&services, subject = subject](http::Request&& request, http::Responder respond) {
                  HandlePlayList(services, subject, std::move(request), std::move(respond));
                });
  }
}

}  // namespace spinlog::api::v1
