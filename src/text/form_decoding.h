// application/x-www-form-urlencoded decoding, for POST bodies and query strings.
//
// Thread-safety: free functions without shared state; call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace spinlog::text {

// One decoded name=value pair, in the order it appeared.
using FormField = std::pair<std::string, std::string>;

// Decodes "a=1&b=x%20y&c" into {"a","1"},{"b","x y"},{"c",""}: '+' is a space,
// %XX a byte (hex digits either case), empty pieces between '&' are skipped.
// Returns InvalidArgument naming the bad escape for a '%' not followed by two
// hex digits, e.g. "'%zz' is not a valid percent escape (expected '%' and
// two hex digits)". Does not check UTF-8: decoded bytes are returned as they
// are. A piece splits at its first '=' ("q=a=b" is {"q","a=b"}); a piece
// without '=' has an empty value; "=v" gives an empty name, kept for the
// caller to judge. Repeated names are all returned, in order.
Result<std::vector<FormField>> DecodeForm(std::string_view encoded);

// Decodes one percent-encoded component ('+' is a space); the same errors as
// DecodeForm. '&' and '=' are ordinary bytes here.
Result<std::string> PercentDecode(std::string_view encoded);

}  // namespace spinlog::text
