// libFuzzer target for the json module: both parsers on arbitrary bytes, the
// writer on arbitrary strings and on arbitrary call sequences, with round
// trips (parse -> write -> parse) checked for equality.
//
// Any failed check calls abort(), which libFuzzer reports as a crash.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_reader.h"
#include "json/json_writer.h"
#include "json/string_object_reader.h"

namespace spinlog::json {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "json_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

// An independent UTF-8 check (Unicode table 3-7), so the reader's and the
// writer's own checks are compared against something they do not share.
bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c < 0x80) {
      n = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      lo = c == 0xE0 ? 0xA0 : 0x80;
      hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const unsigned char d = b(i + k);
      if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return false;
    }
    i += n;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// JSON text must carry no raw control character.
void CheckWellFormedOutput(std::string_view out) {
  Check(IsUtf8(out), "writer output is UTF-8");
  for (char c : out) {
    Check(static_cast<unsigned char>(c) >= 0x20, "writer escapes control characters");
  }
}

// Returns "ok", "not json" or "other" (valid JSON of the wrong shape), for the
// cross-check with the array parser.
std::string CheckObject(std::string_view text) {
  // One reader for every input, as bulk readers use it: reuse must not leak
  // state from one text into the next.
  static StringObjectReader string_objects;
  Result<std::vector<JsonMember>> result = ParseJsonObject(text);
  if (!result.ok()) {
    const Status status = result.status();
    Check(status.IsInvalidArgument(), "ParseJsonObject fails with InvalidArgument only");
    Check(!string_objects.Read(text), "StringObjectReader rejects what ParseJsonObject rejects");
    if (status.message() == "must be a JSON object") return "other";
    Check(StartsWith(status.message(), "is not valid JSON: "), "ParseJsonObject message");
    return "not json";
  }
  const std::vector<JsonMember>& members = *result;

  // The fast reader agrees on objects of strings and declines the others.
  const bool all_strings = std::all_of(members.begin(), members.end(), [](const JsonMember& m) {
    return m.kind == JsonKind::kString;
  });
  Check(string_objects.Read(text) == all_strings, "StringObjectReader reads objects of strings");
  if (all_strings) {
    Check(string_objects.members().size() == members.size(), "StringObjectReader member count");
    for (std::size_t i = 0; i < members.size(); ++i) {
      Check(string_objects.members()[i].first == members[i].name, "StringObjectReader name");
      Check(string_objects.members()[i].second == members[i].value, "StringObjectReader value");
    }
  }

  for (const JsonMember& m : members) {
    Check(IsUtf8(m.name), "member names are UTF-8");
    Check(IsUtf8(m.value), "member values are UTF-8");
    if (m.kind == JsonKind::kString) continue;
    Check(!m.value.empty(), "literal not empty");
    Check(!IsJsonSpace(m.value.front()) && !IsJsonSpace(m.value.back()), "literal trimmed");
    if (m.kind == JsonKind::kBool) {
      Check(m.value == "true" || m.value == "false", "bool literal");
    }
    if (m.kind == JsonKind::kNull) Check(m.value == "null", "null literal");
    // The literal or raw text, put back in an object, reads the same.
    Result<std::vector<JsonMember>> again = ParseJsonObject("{\"x\":" + m.value + "}");
    Check(again.ok(), "raw value parses again");
    Check(again->size() == 1, "raw value is one member");
    Check((*again)[0].kind == m.kind, "raw value keeps its kind");
    Check((*again)[0].value == m.value, "raw value keeps its text");
  }

  // Every member rewritten as a string member reads back the same.
  JsonWriter writer;
  writer.StartObject();
  for (const JsonMember& m : members) {
    writer.Key(m.name);
    writer.String(m.value);
  }
  writer.EndObject();
  Check(writer.ok() && writer.IsComplete(), "object rewrite is complete");
  const std::string out = writer.Take();
  CheckWellFormedOutput(out);
  Result<std::vector<JsonMember>> reread = ParseJsonObject(out);
  Check(reread.ok(), "rewritten object parses");
  Check(reread->size() == members.size(), "rewritten object keeps its members");
  for (std::size_t i = 0; i < members.size(); ++i) {
    Check((*reread)[i].kind == JsonKind::kString, "rewritten member is a string");
    Check((*reread)[i].name == members[i].name, "rewritten name");
    Check((*reread)[i].value == members[i].value, "rewritten value");
  }
  return "ok";
}

std::string CheckStringArray(std::string_view text) {
  Result<std::vector<std::string>> result = ParseJsonStringArray(text);
  if (!result.ok()) {
    const Status status = result.status();
    Check(status.IsInvalidArgument(), "ParseJsonStringArray fails with InvalidArgument only");
    if (StartsWith(status.message(), "is not valid JSON: ")) return "not json";
    Check(status.message() == "must be a JSON array of strings" ||
              (StartsWith(status.message(), "element ") &&
               status.message().find(", not a string") != std::string::npos),
          "ParseJsonStringArray message");
    return "other";
  }
  JsonWriter writer;
  writer.StartArray();
  for (const std::string& s : *result) {
    Check(IsUtf8(s), "array strings are UTF-8");
    writer.String(s);
  }
  writer.EndArray();
  Check(writer.ok() && writer.IsComplete(), "array rewrite is complete");
  const std::string out = writer.Take();
  CheckWellFormedOutput(out);
  Result<std::vector<std::string>> reread = ParseJsonStringArray(out);
  Check(reread.ok(), "rewritten array parses");
  Check(*reread == *result, "rewritten array reads back the same");
  return "ok";
}

// Any bytes written as a string give JSON that reads back as those bytes when
// they are UTF-8, and as some other UTF-8 string otherwise.
void CheckWriterString(std::string_view bytes) {
  JsonWriter writer;
  writer.StartArray();
  writer.String(bytes);
  writer.EndArray();
  const std::string out = writer.Take();
  CheckWellFormedOutput(out);
  Result<std::vector<std::string>> reread = ParseJsonStringArray(out);
  Check(reread.ok() && reread->size() == 1, "written string parses");
  if (IsUtf8(bytes)) {
    Check((*reread)[0] == bytes, "UTF-8 string round-trips");
  } else {
    Check((*reread)[0] != bytes, "ill-formed UTF-8 is repaired");
  }
}

// Replays the bytes as writer calls, modelling which are legal. In release
// builds illegal calls are made too (they must be dropped, turning ok()
// false); in debug builds they would assert, so they are skipped.
void CheckWriterCalls(std::string_view bytes) {
  struct Level {
    bool in_array;
    bool has_key;
  };
  std::vector<Level> levels;
  bool has_root = false;
  bool model_ok = true;
  JsonWriter writer;
  std::size_t i = 0;
  const auto next = [&]() -> unsigned char {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i++]) : 0;
  };
  const auto value_allowed = [&] {
    if (levels.empty()) return !has_root;
    return levels.back().in_array || levels.back().has_key;
  };
  const auto begin_value = [&] {
    if (levels.empty()) {
      has_root = true;
    } else {
      levels.back().has_key = false;
    }
  };
  while (i < bytes.size()) {
    const unsigned char op = next() % 11;
    bool legal = false;
    switch (op) {
      case 0:
      case 2:  // StartObject, StartArray
        legal = value_allowed() && levels.size() < 40;
        break;
      case 1:  // EndObject
        legal = !levels.empty() && !levels.back().in_array && !levels.back().has_key;
        break;
      case 3:  // EndArray
        legal = !levels.empty() && levels.back().in_array;
        break;
      case 4:  // Key
        legal = !levels.empty() && !levels.back().in_array && !levels.back().has_key;
        break;
      default:  // scalars
        legal = value_allowed();
        break;
    }
#ifndef NDEBUG
    if (!legal) continue;
#else
    if (!legal && op <= 2 && levels.size() >= 40) continue;  // depth cap only
#endif
    if (!legal) model_ok = false;
    switch (op) {
      case 0:
        writer.StartObject();
        if (legal) {
          begin_value();
          levels.push_back({false, false});
        }
        break;
      case 1:
        writer.EndObject();
        if (legal) levels.pop_back();
        break;
      case 2:
        writer.StartArray();
        if (legal) {
          begin_value();
          levels.push_back({true, false});
        }
        break;
      case 3:
        writer.EndArray();
        if (legal) levels.pop_back();
        break;
      case 4: {
        const std::size_t length = next() % 8;
        const std::string_view key = bytes.substr(std::min(i, bytes.size()), length);
        i += key.size();
        writer.Key(key);
        if (legal) levels.back().has_key = true;
        break;
      }
      case 5: {
        const std::size_t length = next() % 16;
        const std::string_view s = bytes.substr(std::min(i, bytes.size()), length);
        i += s.size();
        writer.String(s);
        if (legal) begin_value();
        break;
      }
      case 6:
      case 7:
      case 8: {
        unsigned char raw[8] = {};
        for (unsigned char& r : raw) r = next();
        std::uint64_t u = 0;
        std::memcpy(&u, raw, sizeof(u));
        if (op == 6) writer.Int(static_cast<std::int64_t>(u));
        if (op == 7) writer.Uint(u);
        if (op == 8) {
          double d = 0;
          std::memcpy(&d, raw, sizeof(d));
          writer.Double(d);
        }
        if (legal) begin_value();
        break;
      }
      case 9:
        writer.Bool(next() & 1);
        if (legal) begin_value();
        break;
      default:
        writer.Null();
        if (legal) begin_value();
        break;
    }
    Check(writer.ok() == model_ok, "ok() tracks misuse");
  }
  const bool complete = has_root && levels.empty();
  Check(writer.IsComplete() == complete, "IsComplete() tracks the document");
  const std::string out = writer.Take();
  CheckWellFormedOutput(out);
  if (complete) {
    // Nesting stays under 40, well within the reader's limit of 64 levels.
    Check(ParseJsonObject("{\"v\":" + out + "}").ok(), "complete output parses");
  }
}

}  // namespace
}  // namespace spinlog::json

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::json;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string object = CheckObject(text);
  const std::string array = CheckStringArray(text);
  // The parsers agree on what is valid JSON; at most one of them succeeds.
  Check((object == "not json") == (array == "not json"), "parsers agree on validity");
  Check(!(object == "ok" && array == "ok"), "an object is not an array");
  CheckWriterString(text);
  CheckWriterCalls(text);
  return 0;
}
