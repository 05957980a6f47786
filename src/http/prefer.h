// The Prefer request header (RFC 7240): what a client would like the server
// to do, which the server may honour or ignore. POST /api/v1/plays honours
// `return=minimal` (a bulk loader that only needs each item's outcome).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace spinlog::http {

// The response header that names the preferences a server applied (RFC 7240
// 3), e.g. "Preference-Applied: return=minimal".
inline constexpr char kPreferenceAppliedHeader[] = "Preference-Applied";

// The value of the first preference named `name` (ASCII case-insensitive)
// among the request's Prefer fields, in the order sent: a field is a
// comma-separated list of `token [= token-or-quoted-string] *(; parameter)`
// (RFC 7240 2), and may be sent on several lines. The value is unquoted;
// empty for a preference without one. nullopt when no well-formed preference
// of that name was sent: malformed members are skipped, never an error,
// since a server may ignore any preference.
std::optional<std::string> FindPreference(const Request& request, std::string_view name);

// Whether the request prefers `return=minimal` (value compared ASCII
// case-insensitively): the first `return` preference decides, so
// "return=representation, return=minimal" is not minimal.
bool PrefersMinimalReturn(const Request& request);

}  // namespace spinlog::http
