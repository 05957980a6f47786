#include "api/v1/plays_api.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/v1/play_batch_answer.h"
#include "api/v1/play_batch_decoding.h"
#include "api/v1/play_item.h"
#include "api/v1/v1_responses.h"
#include "http/prefer.h"

namespace spinlog::api::v1 {
namespace {

bool IsNdjson(const http::Request& request) {
  std::string_view type = request.FindHeader("Content-Type");
  return type.find("ndjson") != std::string_view::npos ||
         type.find("jsonlines") != std::string_view::npos ||
         type.find("json-seq") != std::string_view::npos;
}

void HandlePostPlays(const Services& s, http::Request&& request, http::Responder respond) {
  Result<std::vector<PlayItem>> decoded = DecodePlayBatch(request.body, IsNdjson(request));
  if (!decoded.ok()) {
    if (decoded.status().code() == StatusCode::kResourceExhausted) {
      return respond(ErrorResponse(413, "payload_too_large", decoded.status().message()));
    }
    return respond(ErrorResponse(decoded.status()));
  }
  // Bulk loaders that only count outcomes skip the echo of every play: a
  // quarter of the bytes to write, send and read (docs/benchmarks.md).
  const PlayResultDetail detail = http::PrefersMinimalReturn(request)
                                      ? PlayResultDetail::kMinimal
                                      : PlayResultDetail::kFull;
  auto items = std::make_shared<std::vector<PlayItem>>(std::move(decoded).value());
  std::vector<domain::PlayInput> plays;
  plays.reserve(items->size());
  // Moved, not copied: the answer reads only whether an item has a play
  // (item.play stays engaged), never the play itself.
  for (PlayItem& item : *items) {
    if (item.play) plays.push_back(std::move(*item.play));
  }
  s.plays->CountRefused(items->size() - plays.size());
  // Minimal answers name conflicts only.
  const domain::PlayEcho echo = detail == PlayResultDetail::kMinimal
                                    ? domain::PlayEcho::kConflictsOnly
                                    : domain::PlayEcho::kEveryPlay;
  s.plays->AddPlays(std::move(plays), echo,
                    [items, respond, detail](Result<std::vector<domain::PlayResult>> stored) {
                      if (!stored.ok()) return respond(ErrorResponse(stored.status()));
                      http::Response answer = PlayBatchAnswer(*items, *stored, detail);
                      if (detail == PlayResultDetail::kMinimal) {
                        answer.headers.emplace_back(http::kPreferenceAppliedHeader,
                                                    "return=minimal");
                      }
                      respond(std::move(answer));
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
