// Quoting user input inside error messages.
//
// Error messages travel back to clients in JSON and into logs, so a quoted
// value must be valid UTF-8, printable and short whatever the client sent.
//
// Thread-safety: free functions without shared state; call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spinlog::text {

// Returns `s` between single quotes, e.g. "'2014-13-01'". Well-formed UTF-8
// and printable ASCII are kept; control characters, DEL and bytes that are
// not part of a well-formed sequence are written as \xNN. Past `max_bytes`
// bytes of `s` the rest is cut (at a character boundary) and "..." follows.
std::string QuoteForMessage(std::string_view s, std::size_t max_bytes = 48);

}  // namespace spinlog::text
