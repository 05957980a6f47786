#include "json/utf8_repair.h"

// Error codes only: with this, simdjson's throwing API does not even compile
// here. Every file of spinlog that includes simdjson.h must agree on it.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <cstddef>

namespace spinlog::json {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed sequence starting at s[i], or 0 when there
// is none; then *bad is how many bytes make up the maximal ill-formed subpart
// (at least 1). Follows table 3-7 of the Unicode standard.
std::size_t SequenceLength(std::string_view s, std::size_t i, std::size_t* bad) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  *bad = 1;
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  // The second byte's range depends on the lead (this excludes overlongs,
  // surrogates and code points above U+10FFFF); the others are 80..BF.
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;  // C0, C1, F5..FF and stray continuation bytes start nothing.
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned char c = byte(i + k);
    const bool in_range = k == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
    if (!in_range) return 0;
    *bad = k + 1;
  }
  return length;
}

}  // namespace

bool IsWellFormedUtf8(std::string_view s) {
  // Most strings written are short names: for them a plain loop costs less
  // than the call into simdjson's run-time dispatched SIMD kernel.
  constexpr std::size_t kShort = 64;
  if (s.size() > kShort) return simdjson::validate_utf8(s.data(), s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad = 0;
    const std::size_t length = SequenceLength(s, i, &bad);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string ReplaceIllFormedUtf8(std::string_view s) {
  if (IsWellFormedUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t bad = 0;
    const std::size_t length = SequenceLength(s, i, &bad);
    if (length > 0) {
      out.append(s.substr(i, length));
      i += length;
    } else {
      out.append(kReplacement);
      i += bad;
    }
  }
  return out;
}

}  // namespace spinlog::json
