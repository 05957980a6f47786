// Fuzzes ParseDatetime. Properties checked:
//  - an error is InvalidArgument with a message that is valid UTF-8;
//  - a parsed instant lies in years 0001..9999, so it can be formatted;
//  - formatting and parsing again gives the same whole second, and the
//    microsecond-exact form gives the same instant.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "text/civil_time.h"
#include "text/datetime.h"
#include "text/utf8.h"

namespace {

[[noreturn]] void Die(const char* what, std::string_view input) {
  std::fprintf(stderr, "datetime_fuzz: %s for input '%.*s'\n", what, static_cast<int>(input.size()),
               input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Result<UnixMicros> parsed = text::ParseDatetime(input);
  if (!parsed.ok()) {
    if (!parsed.status().IsInvalidArgument()) Die("error is not InvalidArgument", input);
    if (!text::IsValidUtf8(parsed.status().message())) Die("error message is not UTF-8", input);
    return 0;
  }
  const UnixMicros t = *parsed;
  if (t < text::kMinDatetime || t > text::kMaxDatetime) Die("instant out of range", input);

  const UnixMicros whole_second = text::FloorDiv(t, kMicrosPerSecond) * kMicrosPerSecond;
  Result<UnixMicros> again = text::ParseDatetime(text::FormatDatetimeSeconds(t));
  if (!again.ok() || *again != whole_second)
    Die("FormatDatetimeSeconds does not round-trip", input);

  Result<UnixMicros> exact = text::ParseDatetime(text::FormatDatetimeUtc(t));
  if (!exact.ok() || *exact != t) Die("FormatDatetimeUtc does not round-trip", input);
  return 0;
}
