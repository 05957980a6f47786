// libFuzzer target for page cursors: DecodeCursor and DecodeKeyCursor on
// arbitrary text never crash, and whatever they accept encodes back to
// exactly the same text (one text per cursor, so a tampered cursor cannot
// alias another).
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
  const std::optional<KeyCursor> key_cursor = DecodeKeyCursor(text);
  if ((cursor && EncodeCursor(*cursor) != text) ||
      (key_cursor && EncodeKeyCursor(*key_cursor) != text)) {
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
  if (size >= 24) {
    KeyCursor built;
    for (int i = 0; i < 8; ++i) {
      built.major = (built.major << 8) | data[i];
      built.minor = (built.minor << 8) | data[8 + i];
      built.fingerprint = (built.fingerprint << 8) | data[16 + i];
    }
    const std::optional<KeyCursor> back = DecodeKeyCursor(EncodeKeyCursor(built));
    if (!back || back->major != built.major || back->minor != built.minor ||
        back->fingerprint != built.fingerprint) {
      std::fprintf(stderr, "cursor_fuzz: built key cursor does not round-trip\n");
      std::abort();
    }
  }
  return 0;
}
