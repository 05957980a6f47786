// UTF-8 checks and the normalisation that makes names comparable.
//
// Names (channels, performers, titles) are compared after Unicode NFC
// normalisation and trimming of leading/trailing whitespace, exactly
// otherwise (case matters).
//
// Thread-safety: free functions without shared state (NormalizeName's cache
// is per thread); call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace spinlog::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Returns the length in bytes (1..4) of the well-formed UTF-8 sequence that
// starts `s`, or 0 when `s` is empty or starts with a malformed sequence.
std::size_t Utf8SequenceLength(std::string_view s);

// True for code points with the Unicode White_Space property: ASCII
// whitespace (U+0009..U+000D, U+0020), U+0085, NBSP U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
// Zero-width characters (U+200B, U+FEFF) are not whitespace.
bool IsUnicodeWhitespace(char32_t c);

// Returns `s` without the Unicode whitespace at its ends: a view into `s`.
// REQUIRES: IsValidUtf8(s)
std::string_view TrimWhitespace(std::string_view s);

// Trims Unicode whitespace at both ends and applies NFC.
// Returns InvalidArgument ("is not valid UTF-8") for malformed input.
// NUL and other C0 control characters are kept as they are (the JSON writer
// escapes them), except the whitespace ones (tab, newline...) at the ends.
// The result is idempotent: NormalizeName(*NormalizeName(s)) == *NormalizeName(s).
// Each thread remembers the NFC form of recent non-ASCII names (bounded,
// about 1 MiB at most), so repeating a name costs a hash lookup.
Result<std::string> NormalizeName(std::string_view s);

}  // namespace spinlog::text
