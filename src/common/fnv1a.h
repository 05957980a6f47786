#pragma once

#include <cstddef>
#include <cstdint>

namespace spinlog {

// FNV-1a over 64-bit words, for hash maps keyed by short lists of ids and
// numbers. Cheap and good enough where equality is checked in full anyway;
// not for anything an adversary chooses to collide at scale.
class Fnv1a {
 public:
  void Mix(std::uint64_t word) {
    hash_ ^= word;
    hash_ *= 1099511628211ull;
  }

  std::size_t value() const { return static_cast<std::size_t>(hash_); }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};

}  // namespace spinlog
