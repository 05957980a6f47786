// API token secrets: how they are made, hashed and compared.
//
// A token reads "spl_<id>_<secret>": <id> is 12 hex digits that name the
// token in lists and logs (not secret), <secret> 43 base64url characters
// (256 random bits). Only the SHA-256 of the whole token is stored; with that
// much entropy a salt or a slow hash adds nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace spinlog::auth {

using TokenHash = std::array<std::uint8_t, 32>;

struct NewToken {
  std::string id;
  std::string text;  // the whole token, shown once to its owner
  TokenHash hash{};
};

// A fresh token from the operating system's random source (OpenSSL RAND_bytes);
// Internal when that fails.
Result<NewToken> MakeToken();

// SHA-256 of `text`.
TokenHash HashToken(std::string_view text);

// The id part of a token's text, or an empty view when the text is not
// shaped like a token. Looks only at the shape, so its time does not depend
// on any stored secret.
std::string_view TokenIdOf(std::string_view text);

// Compares two hashes in constant time (CRYPTO_memcmp).
bool SameHash(const TokenHash& a, const TokenHash& b);

std::string HashToHex(const TokenHash& hash);
// InvalidArgument unless `hex` is 64 hex digits.
Result<TokenHash> HashFromHex(std::string_view hex);

}  // namespace spinlog::auth
