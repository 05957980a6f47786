#include "json/json_reader.h"

#include "json/parse_limits.h"

// Error codes only: with this, simdjson's throwing API does not even compile
// here. Every file of spinlog that includes simdjson.h must agree on it.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <cctype>
#include <cstring>
#include <cstddef>
#include <memory>
#include <algorithm>
#include <utility>

namespace spinlog::json {
namespace {


// Every text is parsed twice: simdjson's DOM parser validates all of it (it is
// fully validating, and dispatches to the CPU's SIMD kernels at run time), then
// the On-Demand parser walks the already-valid text to take each member's name
// and its literal text, which the DOM does not keep ("1.5e3" would come back as
// 1500.0). On-Demand alone validates only what is visited, and in 3.0.1 misses
// e.g. trailing content after an object; on a validated text it cannot
// disagree. Bodies are small, so the second pass costs little (On-Demand is
// compiled into this file, so without -march flags it runs simdjson's portable
// fallback kernel; the DOM parser lives in libsimdjson and picks AVX2 or
// better at run time).

// "The input is not valid UTF-8" -> "the input is not valid UTF-8", to read
// well after our own prefix.
std::string Reason(simdjson::error_code error) {
  std::string reason = simdjson::error_message(error);
  if (!reason.empty()) {
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  }
  return reason;
}

// JSON's four whitespace characters, and nothing else (no locale).
bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

JsonKind KindOf(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY:
      return JsonKind::kArray;
    case simdjson::dom::element_type::OBJECT:
      return JsonKind::kObject;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return JsonKind::kNumber;
    case simdjson::dom::element_type::STRING:
      return JsonKind::kString;
    case simdjson::dom::element_type::BOOL:
      return JsonKind::kBool;
    case simdjson::dom::element_type::NULL_VALUE:
      return JsonKind::kNull;
  }
  return JsonKind::kNull;
}

// "a number", "an array", "null": for "element 2 is a number, not a string".
std::string Described(JsonKind kind) {
  switch (kind) {
    case JsonKind::kArray:
      return "an array";
    case JsonKind::kObject:
      return "an object";
    case JsonKind::kNull:
      return "null";
    default:
      return std::string("a ") + JsonKindName(kind);
  }
}

// Texts up to this size reuse a per-thread parser; larger ones (rare bulk
// bodies) get their own, so that no thread keeps a huge buffer forever.
constexpr std::size_t kReusedParserCapacity = 1 << 20;

// A parser for `size` bytes: the thread's own when the text is small enough.
// Allocating a parser's buffers costs more than parsing a small request, and
// every request parses some JSON.
template <typename Parser>
Parser& ParserFor(std::size_t size, std::unique_ptr<Parser>* own) {
  if (size > kReusedParserCapacity) {
    *own = std::make_unique<Parser>();
    return **own;
  }
  thread_local Parser reused;
  return reused;
}

// Parses and fully validates `padded` with the DOM parser, which owns the
// result: `*root` is valid as long as `parser` lives and is not reused.
simdjson::error_code ParseValidated(const simdjson::padded_string& padded,
                                    simdjson::dom::parser& parser, simdjson::dom::element* root) {
  // allocate() fixes the depth limit; parse() then keeps it. A reused parser
  // only grows. Capacity 0 (an empty body) is fine: parse() reports EMPTY.
  if (padded.size() > parser.capacity() || parser.max_depth() != kMaxDepth) {
    simdjson::error_code error =
        parser.allocate(std::max<std::size_t>(padded.size(), 4096), kMaxDepth);
    if (error) return error;
  }
  return parser.parse(padded).get(*root);
}

// The member's value as JsonMember::value wants it. `value` is the member's
// On-Demand value in a validated text, so errors here are our bugs.
simdjson::error_code TakeValue(simdjson::ondemand::value& value, JsonKind kind, std::string* out) {
  switch (kind) {
    case JsonKind::kString: {
      std::string_view s;
      simdjson::error_code error = value.get_string().get(s);
      if (!error) out->assign(s);
      return error;
    }
    case JsonKind::kArray: {
      simdjson::ondemand::array array;
      std::string_view raw;
      simdjson::error_code error = value.get_array().get(array);
      if (!error) error = array.raw_json().get(raw);
      if (!error) out->assign(TrimJsonSpace(raw));
      return error;
    }
    case JsonKind::kObject: {
      simdjson::ondemand::object object;
      std::string_view raw;
      simdjson::error_code error = value.get_object().get(object);
      if (!error) error = object.raw_json().get(raw);
      if (!error) out->assign(TrimJsonSpace(raw));
      return error;
    }
    case JsonKind::kNumber:
    case JsonKind::kBool:
    case JsonKind::kNull:
      // The token runs up to the next structural character, so it carries the
      // whitespace before a ',' or '}'.
      out->assign(TrimJsonSpace(value.raw_json_token()));
      return simdjson::SUCCESS;
  }
  return simdjson::UNEXPECTED_ERROR;
}

Status Bug(simdjson::error_code error) {
  return Status::Internal("JSON reader: On-Demand pass failed on validated input: " +
                          std::string(simdjson::error_message(error)));
}

}  // namespace

const char* JsonKindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kString:
      return "string";
    case JsonKind::kNumber:
      return "number";
    case JsonKind::kBool:
      return "boolean";
    case JsonKind::kNull:
      return "null";
    case JsonKind::kArray:
      return "array";
    case JsonKind::kObject:
      return "object";
  }
  return "unknown";
}

Result<std::vector<JsonMember>> ParseJsonObject(std::string_view text) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; request bodies
  // give no such guarantee, so copy into a padded buffer.
  const simdjson::padded_string padded(text);

  std::unique_ptr<simdjson::dom::parser> own_dom_parser;
  simdjson::dom::parser& dom_parser = ParserFor(padded.size(), &own_dom_parser);
  simdjson::dom::element root;
  if (simdjson::error_code error = ParseValidated(padded, dom_parser, &root)) {
    return Status::InvalidArgument("is not valid JSON: " + Reason(error));
  }
  simdjson::dom::object dom_object;
  if (root.get_object().get(dom_object)) {
    return Status::InvalidArgument("must be a JSON object");
  }

  std::vector<JsonMember> members;
  members.reserve(dom_object.size());
  std::unique_ptr<simdjson::ondemand::parser> own_parser;
  simdjson::ondemand::parser& parser = ParserFor(padded.size(), &own_parser);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  simdjson::error_code error = parser.iterate(padded).get(doc);
  if (!error) error = doc.get_object().get(object);
  if (error) return Bug(error);
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    std::string_view name;
    simdjson::ondemand::json_type type;
    error = std::move(field_result).get(field);
    if (!error) error = field.unescaped_key().get(name);
    if (!error) error = field.value().type().get(type);
    if (error) return Bug(error);

    JsonMember member;
    member.name.assign(name);
    switch (type) {
      case simdjson::ondemand::json_type::array:
        member.kind = JsonKind::kArray;
        break;
      case simdjson::ondemand::json_type::object:
        member.kind = JsonKind::kObject;
        break;
      case simdjson::ondemand::json_type::number:
        member.kind = JsonKind::kNumber;
        break;
      case simdjson::ondemand::json_type::string:
        member.kind = JsonKind::kString;
        break;
      case simdjson::ondemand::json_type::boolean:
        member.kind = JsonKind::kBool;
        break;
      case simdjson::ondemand::json_type::null:
        member.kind = JsonKind::kNull;
        break;
    }
    error = TakeValue(field.value(), member.kind, &member.value);
    if (error) return Bug(error);
    members.push_back(std::move(member));
  }
  if (members.size() != dom_object.size()) {
    return Status::Internal("JSON reader: the two passes disagree on the member count");
  }
  return members;
}

Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text) {
  const simdjson::padded_string padded(text);
  std::unique_ptr<simdjson::dom::parser> own_parser;
  simdjson::dom::parser& parser = ParserFor(padded.size(), &own_parser);
  simdjson::dom::element root;
  if (simdjson::error_code error = ParseValidated(padded, parser, &root)) {
    return Status::InvalidArgument("is not valid JSON: " + Reason(error));
  }
  simdjson::dom::array array;
  if (root.get_array().get(array)) {
    return Status::InvalidArgument("must be a JSON array of strings");
  }

  std::vector<std::string> strings;
  strings.reserve(array.size());
  std::size_t position = 1;
  for (simdjson::dom::element element : array) {
    std::string_view s;
    if (element.get_string().get(s)) {
      return Status::InvalidArgument("element " + std::to_string(position) + " is " +
                                     Described(KindOf(element.type())) + ", not a string");
    }
    strings.emplace_back(s);
    ++position;
  }
  return strings;
}

Result<std::vector<std::string>> SplitJsonArray(std::string_view text) {
  const simdjson::padded_string padded(text);
  std::unique_ptr<simdjson::dom::parser> own_parser;
  simdjson::dom::parser& parser = ParserFor(padded.size(), &own_parser);
  simdjson::dom::element root;
  if (simdjson::error_code error = ParseValidated(padded, parser, &root)) {
    return Status::InvalidArgument("is not valid JSON: " + Reason(error));
  }
  simdjson::dom::array array;
  if (root.get_array().get(array)) return Status::InvalidArgument("must be a JSON array");
  std::vector<std::string> elements;
  elements.reserve(array.size());
  for (simdjson::dom::element element : array) elements.push_back(simdjson::minify(element));
  return elements;
}

namespace {

// The end of the string that starts at text[pos] == '"': the index after its
// closing quote, the first quote after an even number of backslashes.
// REQUIRES: `text` is valid JSON.
std::size_t SkipString(std::string_view text, std::size_t pos) {
  for (std::size_t from = pos + 1;;) {
    const void* quote = std::memchr(text.data() + from, '"', text.size() - from);
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(quote) - text.data());
    // A run of backslashes before the quote lies after `from`: the byte
    // before `from` is a quote.
    std::size_t backslashes = 0;
    while (at - backslashes > from && text[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    from = at + 1;
  }
}

}  // namespace

Result<std::vector<std::string_view>> SplitJsonArrayViews(std::string_view text) {
  std::size_t count = 0;
  {
    const simdjson::padded_string padded(text);
    std::unique_ptr<simdjson::dom::parser> own_parser;
    simdjson::dom::parser& parser = ParserFor(padded.size(), &own_parser);
    simdjson::dom::element root;
    if (simdjson::error_code error = ParseValidated(padded, parser, &root)) {
      return Status::InvalidArgument("is not valid JSON: " + Reason(error));
    }
    simdjson::dom::array array;
    if (root.get_array().get(array)) return Status::InvalidArgument("must be a JSON array");
    count = array.size();
  }
  // The text is a valid JSON array: an element ends at the first ',' or ']'
  // outside strings and nested brackets.
  std::vector<std::string_view> elements;
  elements.reserve(count);
  std::size_t pos = text.find('[') + 1;
  std::size_t start = pos;
  int depth = 0;
  for (;;) {
    const char c = text[pos];
    if (c == '"') {
      pos = SkipString(text, pos);
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0 && (c == ',' || c == ']')) {
      const std::string_view element = TrimJsonSpace(text.substr(start, pos - start));
      if (!element.empty()) elements.push_back(element);  // empty only in "[]"
      if (c == ']') break;
      start = pos + 1;
    }
    ++pos;
  }
  if (elements.size() != count) {
    return Status::Internal("JSON reader: the array split disagrees with the parser");
  }
  return elements;
}

}  // namespace spinlog::json
