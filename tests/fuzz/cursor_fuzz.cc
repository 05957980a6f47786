// libFuzzer target for page cursors: DecodeCursor on arbitrary text never
// crashes, and whatever it accepts encodes back to exactly the same text
// (one text per cursor, so a tampered cursor cannot alias another).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/v1/cursor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::api::v1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<Cursor> cursor = DecodeCursor(text);
  if (cursor && EncodeCursor(*cursor) != text) {
    std::fprintf(stderr, "cursor_fuzz: accepted text does not round-trip\n");
    std::abort();
  }
  // And every cursor built from the bytes round-trips.
  if (size >= 16) {
    Cursor built;
    for (int i = 0; i < 8; ++i) {
      built.position = (built.position << 8) | data[i];
      built.fingerprint = (built.fingerprint << 8) | data[8 + i];
    }
    const std::optional<Cursor> back = DecodeCursor(EncodeCursor(built));
    if (!back || back->position != built.position || back->fingerprint != built.fingerprint) {
      std::fprintf(stderr, "cursor_fuzz: built cursor does not round-trip\n");
      std::abort();
    }
  }
  return 0;
}
