// The rules for names of channels, performers and songs: trimmed, NFC, not
// empty, not absurdly long. Names are compared exactly after normalisation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace spinlog::domain {

// Longest accepted name, in bytes of NFC UTF-8.
inline constexpr std::size_t kMaxNameBytes = 1024;

// Returns the normalised form of `raw`, the value of input field `field`.
// When it breaks a rule, appends a violation naming `field` and returns "".
std::string NormalizeName(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations);

}  // namespace spinlog::domain
