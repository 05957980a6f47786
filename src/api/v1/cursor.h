// Page cursors of /api/v1 lists: opaque to clients, they carry a position in
// the list and a fingerprint of the query they belong to, so that a cursor
// given to another query is refused instead of paging through the wrong list.
//
// Three kinds: a Cursor holds one number (an offset or the id of the last
// item seen); a KeyCursor holds a two-number sort key of the last item seen,
// for keyset pagination over lists whose items are ordered by a pair (a
// play's start and channel id); a NameCursor holds a name and an id, for
// lists ordered by name.
//
// Text form: base64url (no padding) of a kind byte, big-endian 64-bit
// numbers and, for a NameCursor, the name's bytes (23 characters for a
// Cursor, 34 for a KeyCursor, 23 + 4/3 per name byte for a NameCursor).
// Clients must not build or read them.
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

struct NameCursor {
  std::string name;      // the last item's name (any bytes)
  std::uint64_t id = 0;  // its id
  std::uint64_t fingerprint = 0;
};

std::string EncodeNameCursor(const NameCursor& cursor);
// nullopt when `text` is not a NameCursor this build wrote.
std::optional<NameCursor> DecodeNameCursor(std::string_view text);

// FNV-1a over the numbers and strings that define a query.
class Fingerprint {
 public:
  Fingerprint& Add(std::uint64_t value);
  // Adds the size, then the bytes: ("ab", "") and ("a", "b") differ.
  Fingerprint& AddBytes(std::string_view bytes);
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace spinlog::api::v1
