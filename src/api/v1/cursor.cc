#include "api/v1/cursor.h"

#include <array>
#include <span>
#include <vector>

namespace spinlog::api::v1 {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// The first byte of a cursor: which kind of cursor it is. Never renumber:
// clients hold cursors across upgrades.
constexpr unsigned char kPositionCursor = 1;
constexpr unsigned char kKeyCursor = 2;
constexpr unsigned char kNameCursor = 3;

int ValueOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// base64url, no padding: `version`, each number big-endian, then `tail`.
std::string EncodeNumbers(unsigned char version, std::span<const std::uint64_t> numbers,
                          std::string_view tail = {}) {
  std::vector<unsigned char> bytes{version};
  for (std::uint64_t number : numbers) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<unsigned char>(number >> (56 - 8 * i)));
  }
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  std::string text;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      text.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) text.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return text;
}

// The inverse of EncodeNumbers for numbers.size() numbers of `version`,
// with a tail of any length when `tail` is given (none otherwise); false for
// any other text, non-zero padding bits included (one text per cursor, so a
// tampered cursor cannot alias another).
bool DecodeNumbers(std::string_view text, unsigned char version, std::span<std::uint64_t> numbers,
                   std::string* tail = nullptr) {
  const std::size_t fixed = 1 + 8 * numbers.size();
  if (tail == nullptr ? text.size() != (fixed * 8 + 5) / 6 : text.size() < (fixed * 8 + 5) / 6) {
    return false;
  }
  std::vector<unsigned char> bytes;
  bytes.reserve(text.size() * 6 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = ValueOf(c);
    if (value < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<unsigned char>(buffer >> bits));
    }
  }
  // A text whose last character carries 6 or more unused bits is not one
  // EncodeNumbers writes.
  if (bits >= 6 || bytes.size() < fixed || (buffer & ((1u << bits) - 1)) != 0 ||
      bytes[0] != version || (tail == nullptr && bytes.size() != fixed)) {
    return false;
  }
  for (std::size_t n = 0; n < numbers.size(); ++n) {
    numbers[n] = 0;
    for (int i = 0; i < 8; ++i) numbers[n] = (numbers[n] << 8) | bytes[1 + 8 * n + i];
  }
  if (tail != nullptr) tail->assign(bytes.begin() + static_cast<std::ptrdiff_t>(fixed), bytes.end());
  return true;
}

}  // namespace

std::string EncodeCursor(const Cursor& cursor) {
  const std::array<std::uint64_t, 2> numbers{cursor.position, cursor.fingerprint};
  return EncodeNumbers(kPositionCursor, numbers);
}

std::optional<Cursor> DecodeCursor(std::string_view text) {
  std::array<std::uint64_t, 2> numbers{};
  if (!DecodeNumbers(text, kPositionCursor, numbers)) return std::nullopt;
  return Cursor{numbers[0], numbers[1]};
}

std::string EncodeKeyCursor(const KeyCursor& cursor) {
  const std::array<std::uint64_t, 3> numbers{cursor.major, cursor.minor, cursor.fingerprint};
  return EncodeNumbers(kKeyCursor, numbers);
}

std::optional<KeyCursor> DecodeKeyCursor(std::string_view text) {
  std::array<std::uint64_t, 3> numbers{};
  if (!DecodeNumbers(text, kKeyCursor, numbers)) return std::nullopt;
  return KeyCursor{numbers[0], numbers[1], numbers[2]};
}

std::string EncodeNameCursor(const NameCursor& cursor) {
  const std::array<std::uint64_t, 2> numbers{cursor.id, cursor.fingerprint};
  return EncodeNumbers(kNameCursor, numbers, cursor.name);
}

std::optional<NameCursor> DecodeNameCursor(std::string_view text) {
  std::array<std::uint64_t, 2> numbers{};
  NameCursor cursor;
  if (!DecodeNumbers(text, kNameCursor, numbers, &cursor.name)) return std::nullopt;
  cursor.id = numbers[0];
  cursor.fingerprint = numbers[1];
  return cursor;
}

Fingerprint& Fingerprint::AddBytes(std::string_view bytes) {
  Add(bytes.size());
  for (const char c : bytes) {
    hash_ ^= static_cast<unsigned char>(c);
    hash_ *= 0x100000001b3ULL;
  }
  return *this;
}

Fingerprint& Fingerprint::Add(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash_ ^= (value >> (8 * i)) & 0xFF;
    hash_ *= 0x100000001b3ULL;
  }
  return *this;
}

}  // namespace spinlog::api::v1
