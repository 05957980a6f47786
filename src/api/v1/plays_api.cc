#include "api/v1/plays_api.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/v1/play_item.h"
#include "api/v1/v1_responses.h"
#include "json/json_reader.h"
#include "json/json_writer.h"
#include "text/datetime.h"

namespace spinlog::api::v1 {
namespace {

bool IsNdjson(const http::Request& request) {
  std::string_view type = request.FindHeader("Content-Type");
  return type.find("ndjson") != std::string_view::npos ||
         type.find("jsonlines") != std::string_view::npos ||
         type.find("json-seq") != std::string_view::npos;
}

Result<std::vector<PlayItem>> DecodeItems(const http::Request& request) {
  std::vector<PlayItem> items;
  const std::string_view body = request.body;
  if (IsNdjson(request)) {
    std::size_t line = 0;
    std::size_t pos = 0;
    while (pos <= body.size()) {
      std::size_t eol = body.find('\n', pos);
      if (eol == std::string_view::npos) eol = body.size();
      std::string_view text = body.substr(pos, eol - pos);
      ++line;
      pos = eol + 1;
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (items.size() == kMaxBatchPlays) {
        return Status::ResourceExhausted("a request may carry at most " +
                                         std::to_string(kMaxBatchPlays) + " plays");
      }
      items.push_back(DecodePlayItem(text, line));
    }
    return items;
  }
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '[') {
    Result<std::vector<std::string_view>> elements = json::SplitJsonArrayViews(body);
    if (!elements.ok()) return Status::InvalidFields({{"body", elements.status().message()}});
    if (elements->size() > kMaxBatchPlays) {
      return Status::ResourceExhausted("a request may carry at most " +
                                       std::to_string(kMaxBatchPlays) + " plays");
    }
    items.reserve(elements->size());
    for (std::string_view element : *elements) items.push_back(DecodePlayItem(element, 0));
    return items;
  }
  if (first != std::string_view::npos && body[first] == '{') {
    PlayItem item = DecodePlayItem(body, 0);
    // A single object that is not even JSON is a bad body, not a bad item.
    if (!item.play && !item.problems.empty() && item.problems.front().field == "item") {
      return Status::InvalidFields({{"body", item.problems.front().problem}});
    }
    items.push_back(std::move(item));
    return items;
  }
  return Status::InvalidFields(
      {{"body", "must be a JSON object, a JSON array of objects, or NDJSON "
                "(Content-Type: application/x-ndjson)"}});
}

void WritePlay(json::JsonWriter& w, const domain::PlayByNames& play) {
  w.StartObject();
  w.Key("channel");
  w.String(play.channel);
  w.Key("performer");
  w.String(play.performer);
  w.Key("title");
  w.String(play.title);
  w.Key("start");
  w.String(text::FormatDatetimeUtc(play.start));
  w.Key("end");
  w.String(text::FormatDatetimeUtc(play.end));
  w.EndObject();
}

void WriteProblems(json::JsonWriter& w, const std::vector<FieldViolation>& problems) {
  w.Key("errors");
  w.StartArray();
  for (const FieldViolation& v : problems) {
    w.StartObject();
    w.Key("field");
    w.String(v.field);
    w.Key("problem");
    w.String(v.problem);
    w.EndObject();
  }
  w.EndArray();
}

// The answer: counts of each outcome, then one result per item, in order.
http::Response BatchResponse(const std::vector<PlayItem>& items,
                             const std::vector<domain::PlayResult>& stored) {
  std::size_t counts[4] = {0, 0, 0, 0};
  json::JsonWriter w;
  w.StartObject();
  w.Key("results");
  w.StartArray();
  std::size_t next = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const PlayItem& item = items[i];
    w.StartObject();
    w.Key("index");
    w.Uint(i);
    if (item.line != 0) {
      w.Key("line");
      w.Uint(item.line);
    }
    domain::PlayOutcome outcome = domain::PlayOutcome::kInvalid;
    if (!item.play) {
      w.Key("status");
      w.String("invalid");
      WriteProblems(w, item.problems);
    } else {
      const domain::PlayResult& result = stored[next++];
      outcome = result.outcome;
      w.Key("status");
      w.String(domain::PlayOutcomeName(outcome));
      if (outcome == domain::PlayOutcome::kInvalid) {
        WriteProblems(w, result.problems);
      } else {
        w.Key(outcome == domain::PlayOutcome::kConflict ? "existing" : "play");
        WritePlay(w, result.play);
      }
    }
    ++counts[static_cast<int>(outcome)];
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts");
  w.StartObject();
  for (domain::PlayOutcome o : {domain::PlayOutcome::kCreated, domain::PlayOutcome::kDuplicate,
                                domain::PlayOutcome::kConflict, domain::PlayOutcome::kInvalid}) {
    w.Key(domain::PlayOutcomeName(o));
    w.Uint(counts[static_cast<int>(o)]);
  }
  w.EndObject();
  w.EndObject();
  http::Response response;
  const bool all_stored = counts[static_cast<int>(domain::PlayOutcome::kConflict)] == 0 &&
                          counts[static_cast<int>(domain::PlayOutcome::kInvalid)] == 0;
  response.status = all_stored ? 200 : 207;
  response.body = w.Take();
  return response;
}

void HandlePostPlays(const Services& s, http::Request&& request, http::Responder respond) {
  Result<std::vector<PlayItem>> decoded = DecodeItems(request);
  if (!decoded.ok()) {
    if (decoded.status().code() == StatusCode::kResourceExhausted) {
      return respond(ErrorResponse(413, "payload_too_large", decoded.status().message()));
    }
    return respond(ErrorResponse(decoded.status()));
  }
  auto items = std::make_shared<std::vector<PlayItem>>(std::move(decoded).value());
  std::vector<domain::PlayInput> plays;
  for (PlayItem& item : *items) {
    if (item.play) plays.push_back(*item.play);
  }
  s.plays->CountRefused(items->size() - plays.size());
  s.plays->AddPlays(std::move(plays),
                    [items, respond](Result<std::vector<domain::PlayResult>> stored) {
                      respond(stored.ok() ? BatchResponse(*items, *stored)
                                          : ErrorResponse(stored.status()));
                    });
}

}  // namespace

void RegisterPlaysRoutes(const Services& services, http::Router* router) {
  http::RouteAttributes attributes;
  attributes.is_write = true;
  attributes.max_body_bytes = kMaxBatchBytes;
  router->Add(http::Method::kPost, "/api/v1/plays", attributes,
              [&services](http::Request&& request, http::Responder respond) {
                HandlePostPlays(services, std::move(request), std::move(respond));
              });
}

}  // namespace spinlog::api::v1
