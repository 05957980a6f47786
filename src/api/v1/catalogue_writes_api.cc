#include "api/v1/catalogue_writes_api.h"

#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "api/request_fields.h"
#include "api/v1/catalogue_json.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "domain/catalogue_fields.h"
#include "domain/channel_attributes.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {
namespace {

// Reads one optional field into *out: absent leaves it unset, null (or "")
// sets "", a string sets it; any other JSON kind is a violation.
void ReadText(FieldReader& in, const RequestFields& fields, const char* name,
              std::optional<std::string>* out) {
  const FieldValue* value = fields.Find(name);
  if (value == nullptr) return;
  if (value->kind == json::JsonKind::kNull) {
    *out = "";
    return;
  }
  if (value->kind != json::JsonKind::kString) {
    in.AddViolation(name, std::string("must be a string or null, not ") +
                              json::JsonKindName(value->kind));
    return;
  }
  *out = value->text;
}

// Adds the domain's violations of `change` (format of each field) to `in`,
// so that one answer names every bad field, whether its JSON kind or its
// content is wrong.
void CheckPerformer(FieldReader& in, const domain::PerformerChange& change) {
  std::vector<FieldViolation> problems;
  storage::PerformerRecord scratch;
  domain::ApplyPerformerChange(change, &scratch, &problems);
  for (FieldViolation& p : problems) in.AddViolation(std::move(p.field), std::move(p.problem));
}

void CheckSong(FieldReader& in, const domain::SongChange& change) {
  std::vector<FieldViolation> problems;
  storage::SongRecord scratch;
  domain::ApplySongChange(change, &scratch, &problems);
  for (FieldViolation& p : problems) in.AddViolation(std::move(p.field), std::move(p.problem));
}

// A whole number >= `min` given as a JSON number or a string of digits.
std::optional<std::int64_t> ReadWhole(const FieldValue& value, std::int64_t min) {
  if (value.kind != json::JsonKind::kNumber && value.kind != json::JsonKind::kString) {
    return std::nullopt;
  }
  std::int64_t number = 0;
  const std::string& text = value.text;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < min) {
    return std::nullopt;
  }
  return number;
}

http::Response RecordResponse(int status, json::JsonWriter& w) {
  http::Response response;
  response.status = status;
  response.body = w.Take();
  return response;
}

// 201 (created) or 200 (existing), with the record's Location.
http::Response CreatedResponse(bool created, const std::string& location, json::JsonWriter& w) {
  http::Response response = RecordResponse(created ? 201 : 200, w);
  response.headers.emplace_back("Location", location);
  return response;
}

http::Response NoContent() {
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Result<std::string> PerformerName(const Services& s, storage::PerformerId id) {
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer, s.catalogue->GetPerformer(id));
  return performer.name;
}

http::Response SongResponse(const Services& s, int status, const storage::SongRecord& song,
                            const std::string* location = nullptr, bool created = false) {
  Result<std::string> performer = PerformerName(s, song.performer_id);
  if (!performer.ok()) return ErrorResponse(performer.status());
  json::JsonWriter w;
  WriteSong(w, song, *performer);
  if (location != nullptr) return CreatedResponse(created, *location, w);
  return RecordResponse(status, w);
}

// --- Channels --------------------------------------------------------------

void HandleCreateChannel(const Services& s, http::Request&& request, http::Responder respond) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  domain::CatalogueService::ChannelChange change;
  if (!in.Has("name")) in.AddViolation("name", "missing");
  ReadText(in, *fields, "name", &change.name);
  ReadText(in, *fields, "country", &change.country);
  if (const FieldValue* audience = fields->Find("audience")) {
    if (audience->kind == json::JsonKind::kNull) {
      change.audience = -1;
    } else if (std::optional<std::int64_t> value = ReadWhole(*audience, 0)) {
      change.audience = *value;
    } else {
      in.AddViolation("audience", "must be a whole number of listeners, 0 or more, or null");
    }
  }
  if (const FieldValue* attributes = fields->Find("attributes")) {
    change.attributes =
        domain::ReadAttributesPatch(attributes->kind, attributes->text, in.violations());
  }
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  bool created = false;
  Result<storage::ChannelRecord> channel = s.catalogue->CreateChannel(change, &created);
  if (!channel.ok()) return respond(ErrorResponse(channel.status()));
  json::JsonWriter w;
  WriteChannel(w, *channel);
  respond(CreatedResponse(created, "/api/v1/channels/" + std::to_string(channel->id), w));
}

void HandleDeleteChannel(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::ChannelId> id = PathId(request, "channel");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  const Status deleted = s.catalogue->DeleteChannel(*id);
  respond(deleted.ok() ? NoContent() : ErrorResponse(deleted));
}

// --- Performers --------------------------------------------------------------

domain::PerformerChange ReadPerformerChange(FieldReader& in, const RequestFields& fields) {
  domain::PerformerChange change;
  ReadText(in, fields, "name", &change.name);
  ReadText(in, fields, "country", &change.country);
  ReadText(in, fields, "description", &change.description);
  ReadText(in, fields, "date_of_birth", &change.date_of_birth);
  ReadText(in, fields, "website", &change.website);
  ReadText(in, fields, "picture_url", &change.picture_url);
  return change;
}

void HandleCreatePerformer(const Services& s, http::Request&& request, http::Responder respond) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  if (!in.Has("name")) in.AddViolation("name", "missing");
  domain::PerformerChange change = ReadPerformerChange(in, *fields);
  CheckPerformer(in, change);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  bool created = false;
  Result<storage::PerformerRecord> performer = s.catalogue->CreatePerformer(change, &created);
  if (!performer.ok()) return respond(ErrorResponse(performer.status()));
  json::JsonWriter w;
  WritePerformer(w, *performer);
  respond(CreatedResponse(created, "/api/v1/performers/" + std::to_string(performer->id), w));
}

void HandlePatchPerformer(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::PerformerId> id = PathId(request, "performer");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  domain::PerformerChange change = ReadPerformerChange(in, *fields);
  if (in.ok() && !change.name && !change.country && !change.description &&
      !change.date_of_birth && !change.website && !change.picture_url) {
    in.AddViolation("body",
                    "give name, country, description, date_of_birth, website or picture_url");
  }
  CheckPerformer(in, change);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  Result<storage::PerformerRecord> performer = s.catalogue->UpdatePerformer(*id, change);
  if (!performer.ok()) return respond(ErrorResponse(performer.status()));
  json::JsonWriter w;
  WritePerformer(w, *performer);
  respond(RecordResponse(200, w));
}

void HandleDeletePerformer(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::PerformerId> id = PathId(request, "performer");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  const Status deleted = s.catalogue->DeletePerformer(*id);
  respond(deleted.ok() ? NoContent() : ErrorResponse(deleted));
}

// The "into" id of a merge body; 0 after recording a violation.
std::uint32_t ReadInto(FieldReader& in) {
  if (!in.Has("into")) {
    in.AddViolation("into", "missing");
    return 0;
  }
  return in.OptionalId("into");
}

void HandleMergePerformer(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::PerformerId> id = PathId(request, "performer");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  const storage::PerformerId into = ReadInto(in);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  Result<storage::PerformerMergeResult> merged = s.catalogue->MergePerformers(*id, into);
  if (!merged.ok()) return respond(ErrorResponse(merged.status()));
  Result<storage::PerformerRecord> target = s.catalogue->GetPerformer(into);
  if (!target.ok()) return respond(ErrorResponse(target.status()));
  json::JsonWriter w;
  WritePerformer(w, *target);
  respond(RecordResponse(200, w));
}

// --- Songs -------------------------------------------------------------------

domain::SongChange ReadSongChange(FieldReader& in, const RequestFields& fields) {
  domain::SongChange change;
  if (in.Has("performer_id")) {
    const std::uint32_t performer = in.OptionalId("performer_id");
    if (performer != 0) change.performer_id = performer;
  }
  ReadText(in, fields, "title", &change.title);
  if (const FieldValue* duration = fields.Find("duration")) {
    if (duration->kind == json::JsonKind::kNull) {
      change.duration_seconds = 0;
    } else if (std::optional<std::int64_t> value = ReadWhole(*duration, 1)) {
      change.duration_seconds = *value;
    } else {
      in.AddViolation("duration", "must be a positive whole number of seconds, or null");
    }
  }
  ReadText(in, fields, "release", &change.release);
  ReadText(in, fields, "isrc", &change.isrc);
  return change;
}

void HandleCreateSong(const Services& s, http::Request&& request, http::Responder respond) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  if (!in.Has("performer_id")) in.AddViolation("performer_id", "missing");
  if (!in.Has("title")) in.AddViolation("title", "missing");
  domain::SongChange change = ReadSongChange(in, *fields);
  CheckSong(in, change);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  bool created = false;
  Result<storage::SongRecord> song = s.catalogue->CreateSong(change, &created);
  if (!song.ok()) return respond(ErrorResponse(song.status()));
  const std::string location = "/api/v1/songs/" + std::to_string(song->id);
  respond(SongResponse(s, 0, *song, &location, created));
}

void HandlePatchSong(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::SongId> id = PathId(request, "song");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  domain::SongChange change = ReadSongChange(in, *fields);
  if (in.ok() && !change.performer_id && !change.title && !change.duration_seconds &&
      !change.release && !change.isrc) {
    in.AddViolation("body", "give performer_id, title, duration, release or isrc");
  }
  CheckSong(in, change);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  Result<storage::SongRecord> song = s.catalogue->UpdateSong(*id, change);
  if (!song.ok()) return respond(ErrorResponse(song.status()));
  respond(SongResponse(s, 200, *song));
}

void HandleDeleteSong(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::SongId> id = PathId(request, "song");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  const Status deleted = s.catalogue->DeleteSong(*id);
  respond(deleted.ok() ? NoContent() : ErrorResponse(deleted));
}

void HandleMergeSong(const Services& s, http::Request&& request, http::Responder respond) {
  Result<storage::SongId> id = PathId(request, "song");
  if (!id.ok()) return respond(ErrorResponse(id.status()));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  const storage::SongId into = ReadInto(in);
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  const Status merged = s.catalogue->MergeSongs(*id, into);
  if (!merged.ok()) return respond(ErrorResponse(merged));
  Result<storage::SongRecord> target = s.catalogue->GetSong(into);
  if (!target.ok()) return respond(ErrorResponse(target.status()));
  respond(SongResponse(s, 200, *target));
}

using Handler = void (*)(const Services&, http::Request&&, http::Responder);

}  // namespace

void RegisterCatalogueWriteRoutes(const Services& services, http::Router* router) {
  enum Access { kWrite, kAdmin };
  const auto add = [&](http::Method method, const char* path, Access access, Handler handler) {
    http::RouteAttributes attributes;
    attributes.is_write = true;
    attributes.is_admin = access == kAdmin;
    attributes.max_body_bytes = 64 << 10;
    router->Add(method, path, attributes,
                [&services, handler](http::Request&& request, http::Responder respond) {
                  handler(services, std::move(request), std::move(respond));
                });
  };
  add(http::Method::kPost, "/api/v1/channels", kWrite, HandleCreateChannel);
  add(http::Method::kDelete, "/api/v1/channels/{id}", kAdmin, HandleDeleteChannel);
  add(http::Method::kPost, "/api/v1/performers", kWrite, HandleCreatePerformer);
  add(http::Method::kPatch, "/api/v1/performers/{id}", kWrite, HandlePatchPerformer);
  add(http::Method::kDelete, "/api/v1/performers/{id}", kAdmin, HandleDeletePerformer);
  add(http::Method::kPost, "/api/v1/performers/{id}/merge", kAdmin, HandleMergePerformer);
  add(http::Method::kPost, "/api/v1/songs", kWrite, HandleCreateSong);
  add(http::Method::kPatch, "/api/v1/songs/{id}", kWrite, HandlePatchSong);
  add(http::Method::kDelete, "/api/v1/songs/{id}", kAdmin, HandleDeleteSong);
  add(http::Method::kPost, "/api/v1/songs/{id}/merge", kAdmin, HandleMergeSong);
}

}  // namespace spinlog::api::v1
