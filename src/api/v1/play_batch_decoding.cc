#include "api/v1/play_batch_decoding.h"

#include <string>
#include <utility>

#include "api/v1/plays_api.h"
#include "json/json_reader.h"
#include "json/string_object_reader.h"

namespace spinlog::api::v1 {
namespace {

Status TooManyPlays() {
  return Status::ResourceExhausted("a request may carry at most " +
                                   std::to_string(kMaxBatchPlays) + " plays");
}

}  // namespace

Result<std::vector<PlayItem>> DecodePlayBatch(std::string_view body, bool ndjson) {
  std::vector<PlayItem> items;
  if (ndjson) {
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
        return TooManyPlays();
      }
      items.push_back(DecodePlayItem(text, line));
    }
    return items;
  }
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '[') {
    // Nearly every batch is an array of objects of strings: then one parse
    // of the body serves every item, where reading each element's text again
    // cost a second parse per item. Anything else takes the general path,
    // which tells each item's problem.
    thread_local json::StringObjectReader reader;
    if (reader.ReadArray(body)) {
      if (reader.objects() > kMaxBatchPlays) {
        return TooManyPlays();
      }
      items.reserve(reader.objects());
      for (std::size_t i = 0; i < reader.objects(); ++i) {
        items.push_back(DecodePlayMembers(reader.object(i), 0));
      }
      return items;
    }
    Result<std::vector<std::string_view>> elements = json::SplitJsonArrayViews(body);
    if (!elements.ok()) return Status::InvalidFields({{"body", elements.status().message()}});
    if (elements->size() > kMaxBatchPlays) {
      return TooManyPlays();
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

}  // namespace spinlog::api::v1
