// Reading JSON request bodies (simdjson underneath, confined to json_reader.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace spinlog::json {

enum class JsonKind { kString, kNumber, kBool, kNull, kArray, kObject };

// "string", "number", ... for error messages.
const char* JsonKindName(JsonKind kind);

// One member of a top-level JSON object.
struct JsonMember {
  std::string name;   // unescaped
  JsonKind kind = JsonKind::kNull;
  // kString: the unescaped string. kNumber/kBool/kNull: the literal as written
  // ("12", "1.5e3", "true"). kArray/kObject: the raw JSON text of the value.
  std::string value;
};

// Parses a body that must be one JSON object, returning its members in order
// (duplicates kept). Returns InvalidArgument "body is not valid JSON: ..." or
// "body must be a JSON object" otherwise. Strings must be valid UTF-8.
Result<std::vector<JsonMember>> ParseJsonObject(std::string_view text);

// Parses `text` as a JSON array of strings, e.g. ["Channel1","Channel2"].
// Returns InvalidArgument saying what is wrong otherwise.
Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text);

}  // namespace spinlog::json
