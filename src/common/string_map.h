#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace spinlog {

// Lets a map keyed by std::string be probed with a string_view (or a
// literal) without building a std::string for each look-up.
struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// An unordered_map from strings whose find() takes any string-like key.
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

}  // namespace spinlog
