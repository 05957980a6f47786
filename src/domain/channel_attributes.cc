#include "domain/channel_attributes.h"

#include <charconv>
#include <cmath>
#include <set>

namespace spinlog::domain {
namespace {

constexpr char kField[] = "attributes";

std::string KeyField(std::string_view key) {
  std::string field(kField);
  field.push_back('.');
  field.append(key);
  return field;
}

// Whether `s` holds a C0 control character, DEL or a C1 control character
// (U+0080..U+009F, encoded C2 80..C2 9F). REQUIRES: valid UTF-8.
bool HasControlCharacter(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      return true;
    }
  }
  return false;
}

bool ParseWhole(std::string_view text, std::int64_t* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() &&
         std::isfinite(*value);
}

// The one text of the number that JSON literal `literal` denotes: whole
// numbers within 64 bits as integers, others as the shortest decimal that
// reads back as the same double. nullopt when it is not a finite number.
std::optional<std::string> CanonicalNumber(std::string_view literal) {
  std::int64_t whole = 0;
  if (ParseWhole(literal, &whole)) return std::to_string(whole);
  double number = 0;
  if (!ParseDouble(literal, &number)) return std::nullopt;
  // [-2^63, 2^63): every double in it that is whole converts exactly.
  if (number == std::trunc(number) && number >= -9223372036854775808.0 &&
      number < 9223372036854775808.0) {
    return std::to_string(static_cast<std::int64_t>(number));
  }
  json::JsonWriter w;
  w.Double(number);
  return w.Take();
}

// Writes a canonical number literal as the number it is.
void WriteNumber(json::JsonWriter& w, std::string_view literal) {
  std::int64_t whole = 0;
  double number = 0;
  if (ParseWhole(literal, &whole)) {
    w.Int(whole);
  } else if (ParseDouble(literal, &number)) {
    w.Double(number);
  } else {
    w.Null();  // not reached for values read by this file
  }
}

// The value of member `m` of an attributes object; nullopt for null. Appends
// a violation naming `field` when the value is not allowed.
std::optional<AttributeValue> ReadValue(const json::JsonMember& m, const std::string& field,
                                        std::vector<FieldViolation>* violations) {
  switch (m.kind) {
    case json::JsonKind::kString:
      if (m.value.size() > kMaxAttributeValueBytes) {
        violations->push_back({field, "is longer than " + std::to_string(kMaxAttributeValueBytes) +
                                          " bytes"});
        return std::nullopt;
      }
      return AttributeValue{json::JsonKind::kString, m.value};
    case json::JsonKind::kNumber:
      if (std::optional<std::string> number = CanonicalNumber(m.value)) {
        return AttributeValue{json::JsonKind::kNumber, std::move(*number)};
      }
      violations->push_back({field, "is not a finite number"});
      return std::nullopt;
    case json::JsonKind::kBool:
      return AttributeValue{json::JsonKind::kBool, m.value == "true" ? "true" : "false"};
    case json::JsonKind::kNull:
      return std::nullopt;
    case json::JsonKind::kArray:
    case json::JsonKind::kObject:
      break;
  }
  violations->push_back({field, std::string("must be a string, number, boolean or null, not ") +
                                    json::JsonKindName(m.kind) +
                                    " (attributes are one level deep)"});
  return std::nullopt;
}

}  // namespace

std::optional<AttributesPatch> ReadAttributesPatch(json::JsonKind kind, std::string_view raw,
                                                   std::vector<FieldViolation>* violations) {
  AttributesPatch patch;
  if (kind == json::JsonKind::kNull) {
    patch.clear = true;
    return patch;
  }
  if (kind != json::JsonKind::kObject) {
    violations->push_back(
        {kField, std::string("must be a JSON object or null, not ") + json::JsonKindName(kind)});
    return std::nullopt;
  }
  Result<std::vector<json::JsonMember>> members = json::ParseJsonObject(raw);
  if (!members.ok()) {
    violations->push_back({kField, members.status().message()});
    return std::nullopt;
  }
  const std::size_t before = violations->size();
  std::set<std::string_view> seen;
  std::set<std::string_view> repeated;
  for (const json::JsonMember& m : *members) {
    if (m.name.empty()) {
      if (seen.insert(m.name).second) {
        violations->push_back({kField, "has an empty key; keys are 1 to " +
                                           std::to_string(kMaxAttributeKeyBytes) + " bytes"});
      }
      continue;
    }
    if (!seen.insert(m.name).second) {
      if (repeated.insert(m.name).second) {
        violations->push_back({KeyField(m.name), "is given more than once"});
      }
      continue;
    }
    const std::string field = KeyField(m.name);
    if (m.name.size() > kMaxAttributeKeyBytes) {
      violations->push_back({field, "key is longer than " + std::to_string(kMaxAttributeKeyBytes) +
                                        " bytes"});
      continue;
    }
    if (HasControlCharacter(m.name)) {
      violations->push_back({field, "key holds a control character"});
      continue;
    }
    const std::size_t problems = violations->size();
    std::optional<AttributeValue> value = ReadValue(m, field, violations);
    if (violations->size() == problems) patch.entries.emplace_back(m.name, std::move(value));
  }
  if (violations->size() != before) return std::nullopt;
  return patch;
}

Result<Attributes> ParseAttributes(std::string_view stored) {
  Attributes attributes;
  if (stored.empty()) return attributes;
  Result<std::vector<json::JsonMember>> members = json::ParseJsonObject(stored);
  if (!members.ok()) {
    return Status::Corruption("stored channel attributes " + members.status().message());
  }
  for (json::JsonMember& m : *members) {
    const bool scalar = m.kind == json::JsonKind::kString || m.kind == json::JsonKind::kBool ||
                        (m.kind == json::JsonKind::kNumber && CanonicalNumber(m.value));
    if (!scalar) {
      return Status::Corruption("stored channel attribute '" + m.name + "' is a " +
                                json::JsonKindName(m.kind));
    }
    if (m.kind == json::JsonKind::kNumber) m.value = *CanonicalNumber(m.value);
    attributes.insert_or_assign(std::move(m.name), AttributeValue{m.kind, std::move(m.value)});
  }
  return attributes;
}

void WriteAttributes(json::JsonWriter& w, const Attributes& attributes) {
  w.StartObject();
  for (const auto& [key, value] : attributes) {
    w.Key(key);
    switch (value.kind) {
      case json::JsonKind::kNumber: WriteNumber(w, value.text); break;
      case json::JsonKind::kBool: w.Bool(value.text == "true"); break;
      default: w.String(value.text); break;
    }
  }
  w.EndObject();
}

std::string CanonicalAttributes(const Attributes& attributes) {
  if (attributes.empty()) return "";
  json::JsonWriter w;
  WriteAttributes(w, attributes);
  return w.Take();
}

Result<std::string> ApplyAttributesPatch(std::string_view stored, const AttributesPatch& patch,
                                         std::vector<FieldViolation>* violations) {
  Attributes attributes;
  if (!patch.clear) {
    SPINLOG_ASSIGN_OR_RETURN(attributes, ParseAttributes(stored));
  }
  for (const auto& [key, value] : patch.entries) {
    if (value) {
      attributes.insert_or_assign(key, *value);
    } else {
      attributes.erase(key);
    }
  }
  if (attributes.size() > kMaxAttributes) {
    violations->push_back({kField, "may hold at most " + std::to_string(kMaxAttributes) +
                                       " keys; this would make " +
                                       std::to_string(attributes.size())});
    return std::string();
  }
  std::string text = CanonicalAttributes(attributes);
  if (text.size() > kMaxAttributesBytes) {
    violations->push_back({kField, "may be at most " + std::to_string(kMaxAttributesBytes) +
                                       " bytes as compact JSON; this would make " +
                                       std::to_string(text.size())});
    return std::string();
  }
  return text;
}

}  // namespace spinlog::domain
