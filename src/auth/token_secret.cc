#include "auth/token_secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace spinlog::auth {
namespace {

constexpr std::string_view kPrefix = "spl_";
constexpr std::size_t kIdDigits = 12;
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;  // base64url of 32 bytes, unpadded

std::string Base64Url(const std::uint8_t* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

Result<NewToken> MakeToken() {
  std::uint8_t id_bytes[kIdDigits / 2];
  std::uint8_t secret[kSecretBytes];
  if (RAND_bytes(id_bytes, sizeof id_bytes) != 1 || RAND_bytes(secret, sizeof secret) != 1) {
    return Status::Internal("the random source failed; no token made");
  }
  NewToken token;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::uint8_t b : id_bytes) {
    token.id += kHex[b >> 4];
    token.id += kHex[b & 15];
  }
  token.text = std::string(kPrefix) + token.id + "_" + Base64Url(secret, sizeof secret);
  token.hash = HashToken(token.text);
  OPENSSL_cleanse(secret, sizeof secret);
  return token;
}

TokenHash HashToken(std::string_view text) {
  TokenHash hash{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), hash.data());
  return hash;
}

std::string_view TokenIdOf(std::string_view text) {
  if (text.size() != kPrefix.size() + kIdDigits + 1 + kSecretChars) return {};
  if (text.substr(0, kPrefix.size()) != kPrefix || text[kPrefix.size() + kIdDigits] != '_') return {};
  std::string_view id = text.substr(kPrefix.size(), kIdDigits);
  for (char c : id) {
    if (!IsHex(c)) return {};
  }
  return id;
}

bool SameHash(const TokenHash& a, const TokenHash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HashToHex(const TokenHash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t b : hash) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

Result<TokenHash> HashFromHex(std::string_view hex) {
  if (hex.size() != 64) return Status::InvalidArgument("a token hash is 64 hex digits");
  TokenHash hash{};
  for (std::size_t i = 0; i < 32; ++i) {
    int value = 0;
    for (char c : hex.substr(2 * i, 2)) {
      if (!IsHex(c)) return Status::InvalidArgument("a token hash is 64 hex digits");
      value = value * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    hash[i] = static_cast<std::uint8_t>(value);
  }
  return hash;
}

}  // namespace spinlog::auth
