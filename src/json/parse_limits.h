// Limits shared by every JSON reader in this folder, so that they all accept
// the same texts.
#pragma once

#include <cstddef>

namespace spinlog::json {

// Request bodies are flat objects, at most holding a list of names; deeper
// nesting can only be abuse. simdjson counts every object, array and scalar
// as a level: {"a":[1]} has 3.
inline constexpr std::size_t kMaxDepth = 64;

}  // namespace spinlog::json
