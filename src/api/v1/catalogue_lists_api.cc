#include "api/v1/catalogue_lists_api.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/catalogue_json.h"
#include "api/v1/cursor.h"
#include "api/v1/v1_responses.h"
#include "domain/catalogue_fields.h"
#include "domain/names.h"
#include "json/json_writer.h"
#include "text/quoting.h"
#include "text/utf8.h"

namespace spinlog::api::v1 {
namespace {

// Which list a cursor belongs to. Part of cursor fingerprints: never renumber.
enum class Kind : std::uint64_t { kChannels = 1, kPerformers = 2, kSongs = 3 };

struct ListRequest {
  domain::CatalogueListQuery query;
  // The list a cursor belongs to: kind, order, prefix and performer (not
  // the limit: pages of one list may differ in size).
  std::uint64_t fingerprint = 0;
};

// name_prefix, compared with stored names: those are NFC without leading or
// trailing whitespace, so the prefix is NFC without leading whitespace, but
// keeps its trailing whitespace ("The " is a prefix of "The Tides").
std::string NamePrefix(FieldReader& in) {
  const std::string raw = in.OptionalString("name_prefix", "");
  if (!text::IsValidUtf8(raw)) {
    in.AddViolation("name_prefix", "is not valid UTF-8");
    return "";
  }
  if (raw.size() > domain::kMaxNameBytes) {
    in.AddViolation("name_prefix",
                    "is longer than " + std::to_string(domain::kMaxNameBytes) + " bytes");
    return "";
  }
  const std::string_view trimmed = text::TrimWhitespace(raw);
  if (trimmed.empty()) return "";  // whitespace only: no name starts with it, nor is it a filter
  Result<std::string> normal = text::NormalizeName(trimmed);
  if (!normal.ok()) {
    in.AddViolation("name_prefix", "is not valid UTF-8");
    return "";
  }
  const auto end = static_cast<std::size_t>(trimmed.data() - raw.data()) + trimmed.size();
  return *normal + raw.substr(end);
}

Result<ListRequest> ReadListRequest(Kind kind, const http::Request& request) {
  SPINLOG_ASSIGN_OR_RETURN(RequestFields fields, RequestFields::Read(request));
  FieldReader in(fields);
  ListRequest list;
  domain::CatalogueListQuery& query = list.query;
  const std::string sort = in.OptionalString("sort", "id");
  if (sort == "name") {
    query.order = domain::CatalogueOrder::kByName;
  } else if (sort != "id") {
    in.AddViolation("sort", "must be id or name, not " + text::QuoteForMessage(sort));
  }
  query.name_prefix = NamePrefix(in);
  if (kind == Kind::kSongs) {
    query.performer = in.OptionalId("performer_id");
  } else {
    std::vector<FieldViolation> problems;
    query.country = domain::NormalizeCountry("country", in.OptionalString("country", ""), &problems);
    for (FieldViolation& p : problems) in.AddViolation(std::move(p.field), std::move(p.problem));
  }
  query.limit = static_cast<std::size_t>(
      in.Limit("limit", kDefaultCatalogueListLimit, kMaxCatalogueListLimit));
  const std::string cursor_text = in.OptionalString("cursor", "");
  if (!in.ok()) return in.status();

  list.fingerprint = Fingerprint()
                         .Add(static_cast<std::uint64_t>(kind))
                         .Add(query.order == domain::CatalogueOrder::kByName ? 1 : 0)
                         .Add(query.performer)
                         .AddBytes(query.name_prefix)
                         .AddBytes(query.country)
                         .value();
  if (cursor_text.empty()) return list;
  std::uint64_t fingerprint = 0;
  std::uint64_t id = 0;
  if (query.order == domain::CatalogueOrder::kByName) {
    std::optional<NameCursor> cursor = DecodeNameCursor(cursor_text);
    if (cursor) {
      fingerprint = cursor->fingerprint;
      id = cursor->id;
      query.after_name = std::move(cursor->name);
    }
  } else if (const std::optional<Cursor> cursor = DecodeCursor(cursor_text)) {
    fingerprint = cursor->fingerprint;
    id = cursor->position;
  }
  if (fingerprint == 0 || id > std::numeric_limits<std::uint32_t>::max()) {
    return Status::InvalidFields({{"cursor", "is not a cursor of a list of the catalogue"}});
  }
  if (fingerprint != list.fingerprint) {
    return Status::InvalidFields(
        {{"cursor", "belongs to another list (other sort, name_prefix, country or performer_id)"}});
  }
  query.after_id = static_cast<std::uint32_t>(id);
  return list;
}

// The `next` cursor after `last`.
template <typename Record>
std::string NextCursor(const ListRequest& list, const Record& last, std::string_view name) {
  if (list.query.order == domain::CatalogueOrder::kByName) {
    return EncodeNameCursor({std::string(name), last.id, list.fingerprint});
  }
  return EncodeCursor({last.id, list.fingerprint});
}

// Answers a page: {"<items_key>":[...],"next":...}; `write(w, record)`
// writes one item and returns its status, `name_of(record)` its sort name.
template <typename Record, typename Write, typename NameOf>
http::Response PageResponse(const ListRequest& list, const domain::CataloguePage<Record>& page,
                            const char* items_key, Write write, NameOf name_of) {
  json::JsonWriter w;
  w.StartObject();
  w.Key(items_key);
  w.StartArray();
  for (const Record& record : page.items) {
    const Status written = write(w, record);
    if (!written.ok()) return ErrorResponse(written);
  }
  w.EndArray();
  w.Key("next");
  if (page.more && !page.items.empty()) {
    w.String(NextCursor(list, page.items.back(), name_of(page.items.back())));
  } else {
    w.Null();
  }
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  SetCacheControl(kCacheRevalidate, &response);  // records come and change at any time
  return response;
}

void HandleListChannels(const Services& s, http::Request&& request, http::Responder respond) {
  Result<ListRequest> list = ReadListRequest(Kind::kChannels, request);
  if (!list.ok()) return respond(ErrorResponse(list.status()));
  Result<domain::CataloguePage<storage::ChannelRecord>> page = s.catalogue->ListChannels(list->query);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  respond(PageResponse(
      *list, *page, "channels",
      [](json::JsonWriter& w, const storage::ChannelRecord& channel) {
        WriteChannel(w, channel);
        return Status::OK();
      },
      [](const storage::ChannelRecord& channel) { return channel.name; }));
}

void HandleListPerformers(const Services& s, http::Request&& request, http::Responder respond) {
  Result<ListRequest> list = ReadListRequest(Kind::kPerformers, request);
  if (!list.ok()) return respond(ErrorResponse(list.status()));
  Result<domain::CataloguePage<storage::PerformerRecord>> page =
      s.catalogue->ListPerformers(list->query);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  respond(PageResponse(
      *list, *page, "performers",
      [](json::JsonWriter& w, const storage::PerformerRecord& performer) {
        WritePerformer(w, performer);
        return Status::OK();
      },
      [](const storage::PerformerRecord& performer) { return performer.name; }));
}

void HandleListSongs(const Services& s, http::Request&& request, http::Responder respond) {
  Result<ListRequest> list = ReadListRequest(Kind::kSongs, request);
  if (!list.ok()) return respond(ErrorResponse(list.status()));
  Result<domain::CataloguePage<storage::SongRecord>> page = s.catalogue->ListSongs(list->query);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  respond(PageResponse(
      *list, *page, "songs",
      [&s](json::JsonWriter& w, const storage::SongRecord& song) {
        // Performer names come from the catalogue's id cache, not the store.
        Result<storage::PerformerRecord> performer = s.catalogue->GetPerformer(song.performer_id);
        if (!performer.ok()) return performer.status();
        WriteSong(w, song, performer->name);
        return Status::OK();
      },
      [](const storage::SongRecord& song) { return song.title; }));
}

using Handler = void (*)(const Services&, http::Request&&, http::Responder);

}  // namespace

void RegisterCatalogueListRoutes(const Services& services, http::Router* router) {
  const std::pair<const char*, Handler> routes[] = {{"/api/v1/channels", HandleListChannels},
                                                    {"/api/v1/performers", HandleListPerformers},
                                                    {"/api/v1/songs", HandleListSongs}};
  for (const auto& [path, handler] : routes) {
    router->Add(http::Method::kGet, path, GetRouteAttributes(),
                [&services, handler = handler](http::Request&& request, http::Responder respond) {
                  handler(services, std::move(request), std::move(respond));
                });
  }
}

}  // namespace spinlog::api::v1
