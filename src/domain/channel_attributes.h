// Channels' free-form attributes: a flat JSON object of client-chosen keys
// whose values are strings, numbers or booleans ({"genre":"pop","fm":true}).
//
// The store keeps them as canonical text (storage::ChannelRecord::attributes):
// compact JSON, keys sorted bytewise (UTF-8 code point order), numbers in one
// form (whole numbers within 64 bits as integers: 1.0, 1e0 and 1 are all 1;
// others as the shortest decimal that reads back as the same double), and ""
// for none. Equal attribute sets therefore give equal text, and equal ETags.
//
// Writes are JSON merge patches (RFC 7396) over the flat object: a key with a
// value sets it, a key with null removes it, keys not named stay; a patch of
// null removes every attribute. Creating a channel applies its attributes as
// a patch over none.
//
// Nested objects and arrays are refused as values: the merge of a flat
// object is one level deep, and the limits below bound one level. A client
// that needs structure can store JSON text in a string value.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace spinlog::domain {

// At most this many attributes per channel.
inline constexpr std::size_t kMaxAttributes = 64;
// Keys are 1 to this many bytes of UTF-8, without control characters.
inline constexpr std::size_t kMaxAttributeKeyBytes = 64;
// String values are at most this many bytes of UTF-8.
inline constexpr std::size_t kMaxAttributeValueBytes = 1024;
// The canonical text of all of a channel's attributes is at most this long.
inline constexpr std::size_t kMaxAttributesBytes = 8192;

// One attribute's value.
struct AttributeValue {
  json::JsonKind kind = json::JsonKind::kString;  // kString, kNumber or kBool
  // kString: the text; kNumber: the canonical literal; kBool: "true"/"false".
  std::string text;
  bool operator==(const AttributeValue&) const = default;
};

// A channel's attributes by key, in canonical (bytewise) key order.
using Attributes = std::map<std::string, AttributeValue>;

// A change to a channel's attributes, checked key by key.
struct AttributesPatch {
  // Remove every stored attribute before applying `entries` (a patch of null).
  bool clear = false;
  // Keys to set (a value) or remove (nullopt), each key once.
  std::vector<std::pair<std::string, std::optional<AttributeValue>>> entries;
};

// Reads the input field "attributes", given as a JSON value of `kind` whose
// text is `raw` (a request field: the raw JSON of an object). null gives a
// clearing patch; an object a patch of its members. Appends a violation per
// problem, naming "attributes.KEY" for a bad key or value, and "attributes"
// for anything else (not an object or null; an empty key); returns nullopt
// when there was any.
std::optional<AttributesPatch> ReadAttributesPatch(json::JsonKind kind, std::string_view raw,
                                                   std::vector<FieldViolation>* violations);

// The attributes in canonical text `stored` ("" for none). Corruption when
// it is not a flat JSON object of strings, numbers and booleans.
Result<Attributes> ParseAttributes(std::string_view stored);

// The canonical text of `attributes`; "" when empty.
std::string CanonicalAttributes(const Attributes& attributes);

// The canonical text of `stored` after `patch`. Appends a violation naming
// "attributes" when the result breaks kMaxAttributes or kMaxAttributesBytes
// (then returns ""). Corruption when `stored` is malformed.
Result<std::string> ApplyAttributesPatch(std::string_view stored, const AttributesPatch& patch,
                                         std::vector<FieldViolation>* violations);

// Writes `attributes` as a JSON object ({} when empty).
void WriteAttributes(json::JsonWriter& w, const Attributes& attributes);

}  // namespace spinlog::domain
