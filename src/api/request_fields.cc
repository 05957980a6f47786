#include "api/request_fields.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "domain/names.h"
#include "text/datetime.h"
#include "text/form_decoding.h"

namespace spinlog::api {
namespace {

// The classic API's rule: a body starting with '{' is JSON whatever the
// Content-Type says; a body declared JSON is JSON too.
bool LooksLikeJson(std::string_view body, std::string_view content_type) {
  std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') return true;
  // "application/json; charset=utf-8" and "application/merge+json" alike.
  return content_type.find("json") != std::string_view::npos;
}

// A UTF-8 byte order mark that some editors and clients put first.
std::string_view SkipByteOrderMark(std::string_view body) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (body.substr(0, kBom.size()) == kBom) body.remove_prefix(kBom.size());
  return body;
}

Status ReadForm(std::string_view encoded, std::string_view where, std::vector<FieldValue>* out) {
  Result<std::vector<text::FormField>> form = text::DecodeForm(encoded);
  if (!form.ok()) return Status::InvalidFields({{std::string(where), form.status().message()}});
  for (auto& [name, value] : *form) {
    out->push_back(FieldValue{std::move(name), json::JsonKind::kString, std::move(value)});
  }
  return Status::OK();
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  if (text.size() <= kMaxShown) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMaxShown)) + "...'";
}

}  // namespace

Result<RequestFields> RequestFields::Read(const http::Request& request) {
  RequestFields fields;
  SPINLOG_RETURN_IF_ERROR(ReadForm(request.query, "query", &fields.query_));
  const std::string_view body = SkipByteOrderMark(request.body);
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return fields;
  if (LooksLikeJson(body, request.FindHeader("Content-Type"))) {
    Result<std::vector<json::JsonMember>> members = json::ParseJsonObject(body);
    if (!members.ok()) return Status::InvalidFields({{"body", members.status().message()}});
    for (json::JsonMember& m : *members) {
      fields.body_.push_back(FieldValue{std::move(m.name), m.kind, std::move(m.value)});
    }
    return fields;
  }
  SPINLOG_RETURN_IF_ERROR(ReadForm(body, "body", &fields.body_));
  return fields;
}

RequestFields RequestFields::FromJsonMembers(std::vector<json::JsonMember> members) {
  RequestFields fields;
  for (json::JsonMember& m : members) {
    fields.body_.push_back(FieldValue{std::move(m.name), m.kind, std::move(m.value)});
  }
  return fields;
}

RequestFields RequestFields::FromPairs(
    std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  RequestFields fields;
  fields.AssignPairs(pairs);
  return fields;
}

void RequestFields::AssignPairs(
    std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  query_.clear();
  body_.resize(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    FieldValue& field = body_[i];
    field.name.assign(pairs[i].first);
    field.kind = json::JsonKind::kString;
    field.text.assign(pairs[i].second);
  }
}

std::vector<const FieldValue*> RequestFields::FindAll(std::string_view name) const {
  std::vector<const FieldValue*> found;
  for (const FieldValue& v : body_) {
    if (v.name == name) found.push_back(&v);
  }
  // The query string counts only when the body does not give the field.
  if (found.empty()) {
    for (const FieldValue& v : query_) {
      if (v.name == name) found.push_back(&v);
    }
  }
  return found;
}

const FieldValue* RequestFields::Find(std::string_view name) const {
  // FindAll's first, without building its list: a v1 batch item asks for
  // nine fields, and each list was a heap allocation.
  for (const FieldValue& v : body_) {
    if (v.name == name) return &v;
  }
  for (const FieldValue& v : query_) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

void FieldReader::AddViolation(std::string field, std::string problem) {
  violations_.push_back({std::move(field), std::move(problem)});
}

const FieldValue* FieldReader::RequireString(std::string_view field) {
  const FieldValue* value = fields_.Find(field);
  if (value == nullptr) {
    AddViolation(std::string(field), "missing");
    return nullptr;
  }
  if (value->kind != json::JsonKind::kString) {
    AddViolation(std::string(field),
                 std::string("must be a string, not ") + json::JsonKindName(value->kind));
    return nullptr;
  }
  return value;
}

std::string FieldReader::Name(std::string_view field) {
  const FieldValue* value = RequireString(field);
  if (value == nullptr) return "";
  return domain::NormalizeName(field, value->text, &violations_);
}

UnixMicros FieldReader::Datetime(std::string_view field) {
  const FieldValue* value = RequireString(field);
  if (value == nullptr) return 0;
  Result<UnixMicros> t = text::ParseDatetime(value->text);
  if (!t.ok()) {
    AddViolation(std::string(field), t.status().message());
    return 0;
  }
  return *t;
}

std::int64_t FieldReader::Limit(std::string_view field, std::int64_t fallback, std::int64_t max) {
  const FieldValue* value = fields_.Find(field);
  // An empty or null limit is read as no limit given: the default applies.
  if (value == nullptr || value->kind == json::JsonKind::kNull) return fallback;
  std::string_view text = value->text;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() && value->kind == json::JsonKind::kString) return fallback;

  const std::string problem =
      "must be a whole number from 1 to " + std::to_string(max) + ", not " + Quote(value->text);
  if (value->kind != json::JsonKind::kString && value->kind != json::JsonKind::kNumber) {
    AddViolation(std::string(field), problem);
    return fallback;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t limit = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size()) {
    // JSON numbers such as 10.0 or 1e1 name a whole number too.
    double number = 0;
    auto [double_end, double_error] =
        std::from_chars(text.data(), text.data() + text.size(), number);
    const bool whole = double_error == std::errc() && double_end == text.data() + text.size() &&
                       number >= 1 && number <= static_cast<double>(max) &&
                       number == static_cast<double>(static_cast<std::int64_t>(number));
    if (!whole) {
      AddViolation(std::string(field), problem);
      return fallback;
    }
    limit = static_cast<std::int64_t>(number);
  }
  if (limit < 1 || limit > max) {
    AddViolation(std::string(field), problem);
    return fallback;
  }
  return limit;
}

std::uint32_t FieldReader::OptionalId(std::string_view field) {
  const FieldValue* value = fields_.Find(field);
  if (value == nullptr) return 0;
  std::uint32_t id = 0;
  const std::string& text = value->text;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  const bool kind_ok =
      value->kind == json::JsonKind::kNumber || value->kind == json::JsonKind::kString;
  if (!kind_ok || text.empty() || error != std::errc() || end != text.data() + text.size() ||
      id == 0) {
    AddViolation(std::string(field), "must be a positive whole number, not " + Quote(text));
    return 0;
  }
  return id;
}

std::vector<std::uint32_t> FieldReader::IdList(std::string_view field, std::size_t max) {
  std::vector<const FieldValue*> values = fields_.FindAll(field);
  if (values.empty()) {
    AddViolation(std::string(field), "missing");
    return {};
  }
  // The items as text: a JSON array's elements, or comma-separated values.
  std::vector<std::string> items;
  for (const FieldValue* value : values) {
    if (value->kind == json::JsonKind::kArray) {
      Result<std::vector<std::string>> elements = json::SplitJsonArray(value->text);
      if (!elements.ok()) {
        AddViolation(std::string(field), elements.status().message());
        return {};
      }
      items.insert(items.end(), std::make_move_iterator(elements->begin()),
                   std::make_move_iterator(elements->end()));
    } else if (value->kind == json::JsonKind::kString || value->kind == json::JsonKind::kNumber) {
      std::string_view rest = value->text;
      for (std::size_t comma = rest.find(','); comma != std::string_view::npos;
           comma = rest.find(',')) {
        items.emplace_back(rest.substr(0, comma));
        rest.remove_prefix(comma + 1);
      }
      items.emplace_back(rest);
    } else {
      AddViolation(std::string(field), "must be ids separated by commas or a JSON array of ids, not " +
                                           Quote(value->text));
      return {};
    }
  }
  std::vector<std::uint32_t> ids;
  std::unordered_set<std::uint32_t> seen;
  for (const std::string& text : items) {
    std::string_view item = text;
    const std::size_t first = item.find_first_not_of(" \t\r\n");
    item = first == std::string_view::npos
               ? std::string_view()
               : item.substr(first, item.find_last_not_of(" \t\r\n") - first + 1);
    std::uint32_t id = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || id == 0) {
      AddViolation(std::string(field),
                   "must be positive whole numbers separated by commas, not " + Quote(item));
      return {};
    }
    if (seen.insert(id).second) ids.push_back(id);
    if (ids.size() > max) {
      AddViolation(std::string(field), "may list at most " + std::to_string(max) + " ids");
      return {};
    }
  }
  return ids;
}

std::string FieldReader::OptionalString(std::string_view field, std::string_view fallback) {
  const FieldValue* value = fields_.Find(field);
  if (value == nullptr) return std::string(fallback);
  if (value->kind != json::JsonKind::kString) {
    AddViolation(std::string(field), std::string("must be a string, not ") +
                                         json::JsonKindName(value->kind));
    return std::string(fallback);
  }
  return value->text;
}

std::vector<std::string> FieldReader::NameList(std::string_view field) {
  std::vector<const FieldValue*> values = fields_.FindAll(field);
  if (values.empty()) {
    AddViolation(std::string(field), "missing");
    return {};
  }
  std::vector<std::string> raw;
  for (const FieldValue* value : values) {
    // A JSON body may give the list itself; a form gives it as JSON text,
    // or repeats the field with one name each (a value not starting with '['
    // is one name).
    const bool json_text = value->kind == json::JsonKind::kArray ||
                           (value->kind == json::JsonKind::kString &&
                            value->text.find_first_not_of(" \t\r\n") != std::string::npos &&
                            value->text[value->text.find_first_not_of(" \t\r\n")] == '[');
    if (json_text) {
      Result<std::vector<std::string>> list = json::ParseJsonStringArray(value->text);
      if (!list.ok()) {
        AddViolation(std::string(field), list.status().message());
        return {};
      }
      raw.insert(raw.end(), list->begin(), list->end());
    } else if (value->kind == json::JsonKind::kString) {
      // The repeated form: each value is one name.
      raw.push_back(value->text);
    } else {
      AddViolation(std::string(field), "must be a JSON list of channel names, e.g. [\"Channel1\"]");
      return {};
    }
  }
  if (raw.empty()) {
    AddViolation(std::string(field), "must name at least one channel");
    return {};
  }
  std::vector<std::string> names;
  const std::size_t before = violations_.size();
  for (const std::string& r : raw) {
    std::string name = domain::NormalizeName(field, r, &violations_);
    if (violations_.size() > before) return {};
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace spinlog::api
