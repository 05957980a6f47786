#include "api/v1/cursor.h"

#include <array>

namespace spinlog::api::v1 {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr unsigned char kVersion = 1;
constexpr std::size_t kBytes = 17;  // version + two uint64

int ValueOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string EncodeCursor(const Cursor& cursor) {
  std::array<unsigned char, kBytes> bytes{};
  bytes[0] = kVersion;
  for (int i = 0; i < 8; ++i) {
    bytes[1 + i] = static_cast<unsigned char>(cursor.position >> (56 - 8 * i));
    bytes[9 + i] = static_cast<unsigned char>(cursor.fingerprint >> (56 - 8 * i));
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

std::optional<Cursor> DecodeCursor(std::string_view text) {
  // 17 bytes are 23 characters whose last one carries 4 bits (2 zero bits).
  if (text.size() != (kBytes * 8 + 5) / 6) return std::nullopt;
  std::array<unsigned char, kBytes> bytes{};
  std::size_t count = 0;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = ValueOf(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[count++] = static_cast<unsigned char>(buffer >> bits);
    }
  }
  // The padding bits must be zero: one text per cursor.
  if (count != kBytes || (buffer & ((1u << bits) - 1)) != 0 || bytes[0] != kVersion) {
    return std::nullopt;
  }
  Cursor cursor;
  for (int i = 0; i < 8; ++i) {
    cursor.position = (cursor.position << 8) | bytes[1 + i];
    cursor.fingerprint = (cursor.fingerprint << 8) | bytes[9 + i];
  }
  return cursor;
}

Fingerprint& Fingerprint::Add(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash_ ^= (value >> (8 * i)) & 0xFF;
    hash_ *= 0x100000001b3ULL;
  }
  return *this;
}

}  // namespace spinlog::api::v1
