// UTF-8 checks and the normalisation that makes names comparable.
//
// Names (channels, performers, titles) are compared after Unicode NFC
// normalisation and trimming of leading/trailing whitespace, exactly
// otherwise (case matters).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace spinlog::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Trims Unicode whitespace at both ends and applies NFC.
// Returns InvalidArgument ("is not valid UTF-8") for malformed input.
// NUL and other C0 control characters are kept as they are (the JSON writer
// escapes them).
Result<std::string> NormalizeName(std::string_view s);

}  // namespace spinlog::text
