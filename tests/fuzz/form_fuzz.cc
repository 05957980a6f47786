// Fuzzes DecodeForm and PercentDecode. Properties checked:
//  - both accept exactly the same inputs (an escape never spans '&' or '=');
//  - errors are InvalidArgument with a UTF-8 message;
//  - no decoded name or value is longer than its encoding;
//  - encoding the decoded fields again and decoding gives the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/form_decoding.h"
#include "text/utf8.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "form_fuzz: %s\n", what);
  std::abort();
}

// Percent-encodes every byte that is not unreserved (RFC 3986).
std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
        b == '.' || b == '_' || b == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Result<std::vector<text::FormField>> fields = text::DecodeForm(input);
  Result<std::string> whole = text::PercentDecode(input);
  if (fields.ok() != whole.ok()) Die("DecodeForm and PercentDecode disagree on validity");
  if (!fields.ok()) {
    if (!fields.status().IsInvalidArgument()) Die("error is not InvalidArgument");
    if (!text::IsValidUtf8(fields.status().message())) Die("error message is not UTF-8");
    return 0;
  }
  if (whole->size() > input.size()) Die("decoding made the input longer");

  std::string encoded;
  for (const auto& [name, value] : *fields) {
    if (!encoded.empty()) encoded += '&';
    encoded += Encode(name) + '=' + Encode(value);
  }
  Result<std::vector<text::FormField>> again = text::DecodeForm(encoded);
  if (!again.ok() || *again != *fields) Die("re-encoded fields do not decode to the same fields");
  return 0;
}
