#include "json/string_object_reader.h"

// Error codes only, as in json_reader.cc: every file of spinlog that includes
// simdjson.h must agree on it.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "json/parse_limits.h"

namespace spinlog::json {

struct StringObjectReader::Parser {
  simdjson::dom::parser dom;
  // The text with simdjson's padding after it; grows, never shrinks.
  std::unique_ptr<char[]> buffer;
  std::size_t buffer_capacity = 0;
};

StringObjectReader::StringObjectReader() : parser_(std::make_unique<Parser>()) {}
StringObjectReader::~StringObjectReader() = default;

bool StringObjectReader::Read(std::string_view text) {
  members_.clear();
  Parser& p = *parser_;
  if (text.size() + simdjson::SIMDJSON_PADDING > p.buffer_capacity) {
    p.buffer_capacity = std::max<std::size_t>(4096, 2 * text.size() + simdjson::SIMDJSON_PADDING);
    p.buffer = std::make_unique<char[]>(p.buffer_capacity);
  }
  // An empty view may have a null data pointer, which memcpy must not get.
  if (!text.empty()) std::memcpy(p.buffer.get(), text.data(), text.size());
  std::memset(p.buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  if (text.size() > p.dom.capacity() || p.dom.max_depth() != kMaxDepth) {
    if (p.dom.allocate(std::max<std::size_t>(text.size(), 4096), kMaxDepth)) return false;
  }
  simdjson::dom::element root;
  if (p.dom.parse(p.buffer.get(), text.size(), /*realloc_if_needed=*/false).get(root)) {
    return false;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object)) return false;
  for (const simdjson::dom::key_value_pair member : object) {
    std::string_view value;
    if (member.value.get_string().get(value)) return false;
    members_.emplace_back(member.key, value);
  }
  return true;
}

}  // namespace spinlog::json
