// What a token may do. Scopes are independent: a route needs exactly one
// (reads `read`, writes `write`, administrative actions `admin`), and a token
// carries any set of them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace spinlog::auth {

enum Scope : std::uint8_t { kRead = 1, kWrite = 2, kAdmin = 4 };
using ScopeSet = std::uint8_t;

// "read" for kRead, ...
const char* ScopeName(Scope scope);

// Parses "read,write" (names separated by commas, spaces allowed, repeats
// harmless); InvalidArgument naming the unknown scope otherwise, or when the
// list is empty.
Result<ScopeSet> ParseScopes(std::string_view text);

// "read,write,admin" order; "" for none.
std::string FormatScopes(ScopeSet scopes);

}  // namespace spinlog::auth
