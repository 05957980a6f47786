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

int ValueOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// base64url, no padding: `version` then each number big-endian.
std::string EncodeNumbers(unsigned char version, std::span<const std::uint64_t> numbers) {
  std::vector<unsigned char> bytes{version};
  for (std::uint64_t number : numbers) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<unsigned char>(number >> (56 - 8 * i)));
  }
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

// The inverse of EncodeNumbers for numbers.size() numbers of `version`;
// false for any other text, non-zero padding bits included (one text per
// cursor, so a tampered cursor cannot alias another).
bool DecodeNumbers(std::string_view text, unsigned char version, std::span<std::uint64_t> numbers) {
  const std::size_t size = 1 + 8 * numbers.size();
  if (text.size() != (size * 8 + 5) / 6) return false;
  std::vector<unsigned char> bytes;
  bytes.reserve(size);
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
  if (bytes.size() != size || (buffer & ((1u << bits) - 1)) != 0 || bytes[0] != version) {
    return false;
  }
  for (std::size_t n = 0; n < numbers.size(); ++n) {
    numbers[n] = 0;
    for (int i = 0; i < 8; ++i) numbers[n] = (numbers[n] << 8) | bytes[1 + 8 * n + i];
  }
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

Fingerprint& Fingerprint::Add(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash_ ^= (value >> (8 * i)) & 0xFF;
    hash_ *= 0x100000001b3ULL;
  }
  return *this;
}

}  // namespace spinlog::api::v1
