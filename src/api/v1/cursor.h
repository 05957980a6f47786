// Page cursors of /api/v1 lists: opaque to clients, they carry a position in
// the list and a fingerprint of the query they belong to, so that a cursor
// given to another query is refused instead of paging through the wrong list.
//
// Two kinds: a Cursor holds one number (an offset or the id of the last item
// seen); a KeyCursor holds a two-number sort key of the last item seen, for
// keyset pagination over lists whose items are ordered by a pair (a play's
// start and channel id).
//
// Text form: base64url (no padding) of a kind byte and big-endian 64-bit
// numbers (23 characters for a Cursor, 34 for a KeyCursor). Clients must not
// build or read them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spinlog::api::v1 {

struct Cursor {
  std::uint64_t position = 0;
  std::uint64_t fingerprint = 0;
};

std::string EncodeCursor(const Cursor& cursor);
// nullopt when `text` is not a Cursor this build wrote.
std::optional<Cursor> DecodeCursor(std::string_view text);

struct KeyCursor {
  std::uint64_t major = 0;  // the key's first number
  std::uint64_t minor = 0;  // its second, which breaks ties of the first
  std::uint64_t fingerprint = 0;
};

std::string EncodeKeyCursor(const KeyCursor& cursor);
// nullopt when `text` is not a KeyCursor this build wrote (a Cursor included).
std::optional<KeyCursor> DecodeKeyCursor(std::string_view text);

// FNV-1a over the numbers that define a query.
class Fingerprint {
 public:
  Fingerprint& Add(std::uint64_t value);
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace spinlog::api::v1
