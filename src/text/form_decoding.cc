#include "text/form_decoding.h"

#include "text/quoting.h"

namespace spinlog::text {
namespace {

// The value of hex digit `c`, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status BadEscape(std::string_view encoded, std::size_t percent) {
  // Show the '%' and what follows it, at most the two bytes it should have had.
  const std::string_view escape = encoded.substr(percent, 3);
  return Status::InvalidArgument(
      QuoteForMessage(escape) + " is not a valid percent escape (expected '%' and two hex digits)");
}

}  // namespace

Result<std::string> PercentDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  std::size_t i = 0;
  while (i < encoded.size()) {
    // Runs without escapes (most of a query) are copied whole.
    std::size_t run = i;
    while (run < encoded.size() && encoded[run] != '%' && encoded[run] != '+') ++run;
    out.append(encoded.data() + i, run - i);
    i = run;
    if (i == encoded.size()) break;
    if (encoded[i] == '+') {
      out += ' ';
      ++i;
      continue;
    }
    const int hi = i + 1 < encoded.size() ? HexValue(encoded[i + 1]) : -1;
    const int lo = i + 2 < encoded.size() ? HexValue(encoded[i + 2]) : -1;
    if (hi < 0 || lo < 0) return BadEscape(encoded, i);
    out += static_cast<char>(hi * 16 + lo);
    i += 3;
  }
  return out;
}

Result<std::vector<FormField>> DecodeForm(std::string_view encoded) {
  std::vector<FormField> fields;
  while (!encoded.empty()) {
    const std::size_t amp = encoded.find('&');
    const std::string_view piece = encoded.substr(0, amp);
    encoded.remove_prefix(amp == std::string_view::npos ? encoded.size() : amp + 1);
    if (piece.empty()) continue;
    // Split at the first '=': later ones belong to the value ("q=a=b").
    const std::size_t eq = piece.find('=');
    SPINLOG_ASSIGN_OR_RETURN(std::string name, PercentDecode(piece.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      SPINLOG_ASSIGN_OR_RETURN(value, PercentDecode(piece.substr(eq + 1)));
    }
    fields.emplace_back(std::move(name), std::move(value));
  }
  return fields;
}

}  // namespace spinlog::text
