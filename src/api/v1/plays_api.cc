#include "api/v1/plays_api.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/v1/play_batch_answer.h"
#include "api/v1/play_item.h"
#include "api/v1/v1_responses.h"
#include "json/json_reader.h"

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
  plays.reserve(items->size());
  // Moved, not copied: the answer reads only whether an item has a play
  // (item.play stays engaged), never the play itself.
  for (PlayItem& item : *items) {
    if (item.play) plays.push_back(std::move(*item.play));
  }
  s.plays->CountRefused(items->size() - plays.size());
  s.plays->AddPlays(std::move(plays),
                    [items, respond](Result<std::vector<domain::PlayResult>> stored) {
                      respond(stored.ok() ? PlayBatchAnswer(*items, *stored)
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
