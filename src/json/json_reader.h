// Reading JSON request bodies (simdjson underneath, confined to json_reader.cc).
//
// Free functions over a caller-owned text; the results own their strings, so
// nothing points into the text afterwards. Thread-safe: no shared state.
//
// Both parsers accept exactly RFC 8259 JSON, whitespace around it included,
// with these limits: nesting deeper than 64 levels (every object, array and
// scalar is a level: {"a":[1]} has 3), integers outside the 64-bit range and numbers that overflow
// a double (1e400) are rejected as invalid JSON; so are invalid UTF-8 anywhere in the text,
// unpaired surrogate escapes ("\ud800") and a byte-order mark.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace spinlog::json {

enum class JsonKind { kString, kNumber, kBool, kNull, kArray, kObject };

// "string", "number", "boolean", "null", "array", "object": for messages.
const char* JsonKindName(JsonKind kind);

// One member of a top-level JSON object.
struct JsonMember {
  std::string name;  // unescaped
  JsonKind kind = JsonKind::kNull;
  // kString: the unescaped string. kNumber/kBool/kNull: the literal as written
  // ("12", "1.5e3", "true"). kArray/kObject: the raw JSON text of the value.
  std::string value;
};

// Parses a body that must be one JSON object, returning its members in order
// (duplicates kept). Returns InvalidArgument "is not valid JSON: ..." or
// "must be a JSON object" otherwise (the caller names the field). Strings must be valid UTF-8.
// Names and string values are unescaped and may hold NUL; every returned
// string is valid UTF-8. Returns Internal only on a bug in this reader.
Result<std::vector<JsonMember>> ParseJsonObject(std::string_view text);

// Parses `text` as a JSON array of strings, e.g. ["Channel1","Channel2"];
// the strings are unescaped, in order, and valid UTF-8; [] gives none.
// Returns InvalidArgument saying what is wrong otherwise, phrased to follow
// the name of the field that held the text: "is not valid JSON: <reason>",
// "must be a JSON array of strings", "element 2 is a number, not a string"
// (elements counted from 1).
Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text);

// Parses `text` as a JSON array and returns each element as compact JSON
// text, in order. InvalidArgument "is not valid JSON: ..." or "must be a
// JSON array" otherwise.
Result<std::vector<std::string>> SplitJsonArray(std::string_view text);

// The same validation and errors as SplitJsonArray, but each element is a
// view of its text as written in `text` (whitespace around it trimmed), not a
// re-serialised copy: for bulk bodies of thousands of elements, where copying
// every element cost more than parsing it. The views are valid while `text` is.
Result<std::vector<std::string_view>> SplitJsonArrayViews(std::string_view text);

}  // namespace spinlog::json
