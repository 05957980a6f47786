#include "text/quoting.h"

#include <algorithm>

#include "text/utf8.h"

namespace spinlog::text {

std::string QuoteForMessage(std::string_view s, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::min(s.size(), max_bytes) + 2);
  out += '\'';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = Utf8SequenceLength(s.substr(i));
    if (i + std::max<std::size_t>(len, 1) > max_bytes) break;
    const auto byte = static_cast<unsigned char>(s[i]);
    if (len > 1 || (len == 1 && byte >= 0x20 && byte != 0x7F)) {
      out.append(s, i, len);
    } else {
      len = 1;
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
    i += len;
  }
  out += '\'';
  if (i < s.size()) out += "...";
  return out;
}

}  // namespace spinlog::text
