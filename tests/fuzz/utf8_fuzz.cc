// Fuzzes IsValidUtf8 and NormalizeName. Properties checked:
//  - IsValidUtf8 agrees with a decoder written from the definition (value
//    ranges) rather than from the byte table the library uses;
//  - NormalizeName accepts exactly the valid inputs; its result is valid
//    UTF-8, has no whitespace at either end and is a fixed point.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/utf8.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "utf8_fuzz: %s\n", what);
  std::abort();
}

// Decodes by value: a sequence is valid when its length matches the lead
// byte, it has the continuation bytes, and the value is the shortest form,
// not a surrogate and at most U+10FFFF.
bool ReferenceValid(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool valid = text::IsValidUtf8(input);
  if (valid != ReferenceValid(input)) Die("IsValidUtf8 disagrees with the reference decoder");

  Result<std::string> normal = text::NormalizeName(input);
  if (normal.ok() != valid) Die("NormalizeName accepts exactly the valid inputs: it does not");
  if (!normal.ok()) {
    if (!normal.status().IsInvalidArgument()) Die("error is not InvalidArgument");
    return 0;
  }
  if (!text::IsValidUtf8(*normal)) Die("NormalizeName gave invalid UTF-8");
  if (text::TrimWhitespace(*normal).size() != normal->size())
    Die("NormalizeName left whitespace at an end");
  Result<std::string> twice = text::NormalizeName(*normal);
  if (!twice.ok() || *twice != *normal) Die("NormalizeName is not idempotent");
  return 0;
}
