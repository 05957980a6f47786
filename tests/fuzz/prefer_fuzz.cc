// libFuzzer target for the Prefer header (RFC 7240): FindPreference on
// arbitrary field values never crashes or reads out of bounds, and a value it
// finds never holds more bytes than the fields it came from.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "http/prefer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::http;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A newline splits the input into several Prefer fields, as a client may
  // send the header on several lines.
  Request request;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    request.headers.emplace_back("Prefer", std::string(text.substr(begin, end - begin)));
    begin = end + 1;
  }
  for (const char* name : {"return", "wait", "respond-async", "handling"}) {
    const std::optional<std::string> value = FindPreference(request, name);
    if (value && value->size() > size) {
      std::fprintf(stderr, "prefer_fuzz: a value longer than its input\n");
      std::abort();
    }
  }
  static_cast<void>(PrefersMinimalReturn(request));
  return 0;
}
