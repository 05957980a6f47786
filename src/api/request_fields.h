// RequestFields: the input fields of a request, gathered from the query
// string and the body (classic API), or from one JSON object (an item of a
// v1 batch).
//
// The body is JSON when it starts with '{' (after whitespace) or is declared
// application/json, whatever else the Content-Type says (clients exist that
// send JSON mislabelled); otherwise it is application/x-www-form-urlencoded.
// A field in the body wins over the same field in the query string.
//
// FieldReader then reads typed values out of them, collecting one violation
// per bad field so that a client hears of every problem at once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "http/request.h"
#include "json/json_reader.h"

namespace spinlog::api {

struct FieldValue {
  std::string name;
  // Form and query values are strings; JSON values keep their kind.
  json::JsonKind kind = json::JsonKind::kString;
  // For strings the decoded text; otherwise the JSON literal or raw JSON.
  std::string text;
};

class RequestFields {
 public:
  // Returns InvalidArgument naming "body" or "query" when either cannot be decoded.
  static Result<RequestFields> Read(const http::Request& request);

  // The members of one JSON object, as body fields.
  static RequestFields FromJsonMembers(std::vector<json::JsonMember> members);

  // String fields given as (name, value) pairs, e.g. a CSV row paired with
  // its header, as body fields in that order.
  static RequestFields FromPairs(
      std::span<const std::pair<std::string_view, std::string_view>> pairs);

  // Makes these fields hold `pairs` as FromPairs would, reusing the strings
  // already held: a thread that decodes many items allocates nothing once
  // its fields have held values as long.
  void AssignPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs);

  // Every value given for `name`: body values first, then query values.
  std::vector<const FieldValue*> FindAll(std::string_view name) const;
  // The first of FindAll, or null.
  const FieldValue* Find(std::string_view name) const;

 private:
  std::vector<FieldValue> body_;
  std::vector<FieldValue> query_;
};

class FieldReader {
 public:
  explicit FieldReader(const RequestFields& fields) : fields_(fields) {}

  // A required name (channel, performer, title), normalised. "" when bad.
  std::string Name(std::string_view field);
  // A required ISO 8601 datetime. 0 when bad.
  UnixMicros Datetime(std::string_view field);
  // An optional positive integer no larger than `max`; `fallback` when absent.
  std::int64_t Limit(std::string_view field, std::int64_t fallback, std::int64_t max);
  // An optional id: a whole number from 1 to 2^32-1 (a JSON number or a
  // string of digits). 0 when absent or bad.
  std::uint32_t OptionalId(std::string_view field);
  // A required list of ids: the field repeated and/or comma-separated values
  // ("1,2,3"), or a JSON array of numbers, each a whole number from 1 to
  // 2^32-1. Duplicates removed, in first-seen order; at most `max` ids. Empty
  // when bad (or when a JSON array is empty).
  std::vector<std::uint32_t> IdList(std::string_view field, std::size_t max);
  // An optional string; `fallback` when absent.
  std::string OptionalString(std::string_view field, std::string_view fallback);
  // True when the field is given at all.
  bool Has(std::string_view field) const { return fields_.Find(field) != nullptr; }
  // A required list of names: a JSON list of strings in one value, or the
  // field repeated. Normalised; never empty when valid.
  std::vector<std::string> NameList(std::string_view field);

  // Adds a violation found outside the reader (e.g. a domain rule).
  void AddViolation(std::string field, std::string problem);
  bool ok() const { return violations_.empty(); }
  // InvalidArgument listing every violation. REQUIRES: !ok()
  Status status() const { return Status::InvalidFields(violations_); }
  std::vector<FieldViolation>* violations() { return &violations_; }

 private:
  // The field's single string value, or null after recording why not.
  const FieldValue* RequireString(std::string_view field);

  const RequestFields& fields_;
  std::vector<FieldViolation> violations_;
};

}  // namespace spinlog::api
