// PlayItem: one play of a bulk request or import file, decoded from a JSON
// object: {"channel","performer","title","start","end"}, with "channel_id"
// and/or "song_id" allowed instead of the names. Used by POST /api/v1/plays
// and by `spinlog import`, so both accept exactly the same items.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "api/request_fields.h"
#include "common/status.h"
#include "domain/play_service.h"

namespace spinlog::api::v1 {

struct PlayItem {
  // The play to store; empty when the item is invalid.
  std::optional<domain::PlayInput> play;
  // Every problem of an invalid item, by field ("item" when it is not a JSON object).
  std::vector<FieldViolation> problems;
  // The item's line in an NDJSON or CSV input (from 1); 0 otherwise.
  std::size_t line = 0;
};

// Decodes one JSON object. Times are truncated to the second and checked
// against the play rules; names are normalised.
PlayItem DecodePlayItem(std::string_view json_text, std::size_t line);

// Decodes one item from the members of a JSON object of strings, as
// json::StringObjectReader lists them: what DecodePlayItem gives for the
// object's text.
PlayItem DecodePlayMembers(std::span<const std::pair<std::string_view, std::string_view>> members,
                           std::size_t line);

// Decodes one item from fields already read (e.g. a CSV row).
PlayItem DecodePlayFields(const RequestFields& fields, std::size_t line);

}  // namespace spinlog::api::v1
