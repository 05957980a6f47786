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
  // The last text parsed, while `dom` holds it.
  simdjson::dom::element root;
};

StringObjectReader::StringObjectReader() : parser_(std::make_unique<Parser>()) {}
StringObjectReader::~StringObjectReader() = default;

bool StringObjectReader::Parse(std::string_view text) {
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
  return !p.dom.parse(p.buffer.get(), text.size(), /*realloc_if_needed=*/false).get(p.root);
}

namespace {

// Appends the members of `object` to *out; false when a value is not a string.
bool AppendStringMembers(simdjson::dom::object object,
                         std::vector<StringObjectReader::Member>* out) {
  for (const simdjson::dom::key_value_pair member : object) {
    std::string_view value;
    if (member.value.get_string().get(value)) return false;
    out->emplace_back(member.key, value);
  }
  return true;
}

}  // namespace

bool StringObjectReader::Read(std::string_view text) {
  members_.clear();
  object_ends_.clear();
  if (!Parse(text)) return false;
  simdjson::dom::object object;
  if (parser_->root.get_object().get(object)) return false;
  return AppendStringMembers(object, &members_);
}

bool StringObjectReader::ReadArray(std::string_view text) {
  members_.clear();
  object_ends_.clear();
  if (text.size() > kMaxArrayBytes || !Parse(text)) return false;
  simdjson::dom::array array;
  if (parser_->root.get_array().get(array)) return false;
  for (const simdjson::dom::element element : array) {
    simdjson::dom::object object;
    if (element.get_object().get(object)) return false;
    if (!AppendStringMembers(object, &members_)) return false;
    object_ends_.push_back(members_.size());
  }
  return true;
}

}  // namespace spinlog::json
