// Making arbitrary bytes well-formed UTF-8, for JsonWriter: JSON text must be
// UTF-8, and a string that is not must not corrupt a whole response.
// Internal to the json module. Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace spinlog::json {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF, no truncated sequence).
bool IsWellFormedUtf8(std::string_view s);

// Returns `s` with each maximal ill-formed subsequence replaced by U+FFFD, as
// Unicode recommends (section 3.9, "U+FFFD Substitution of Maximal
// Subparts"), so "a\xE2\x82" becomes "a\uFFFD" and "\xFF\xFF" two of them.
// Well-formed input comes back unchanged.
std::string ReplaceIllFormedUtf8(std::string_view s);

}  // namespace spinlog::json
