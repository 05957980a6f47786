// RawNameMemo: what an import has learned about the raw texts of names, as
// catalogue ids, so that a text seen before costs one probe instead of NFC
// normalisation and catalogue lookups.
//
// A key is one or two texts (a channel name; a performer and a title). Open
// addressing over a flat slot array, with the texts in one arena: a probe
// touches a slot and the text it compares, where std::unordered_map touched
// a bucket, a node and a separately allocated string (the import of W2 spent
// a quarter of its reading time there).
//
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spinlog {

class RawNameMemo {
 public:
  // Most entries kept; past it the memo starts over (still correct, only
  // slower), so that a file of endless distinct names cannot exhaust memory.
  explicit RawNameMemo(std::size_t max_entries = 4'000'000) : max_entries_(max_entries) {}

  // The id remembered for (first, second), if any.
  std::optional<std::uint32_t> Find(std::string_view first, std::string_view second = {}) const;
  // Remembers `id` for (first, second), replacing what was there.
  void Remember(std::string_view first, std::string_view second, std::uint32_t id);
  void Remember(std::string_view first, std::uint32_t id) { Remember(first, {}, id); }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t offset = 0;     // into arena_: first, then second
    std::uint32_t first_size = 0;
    std::uint32_t second_size = 0;
    std::uint32_t id = 0;
    bool used = false;
  };

  static std::uint64_t Hash(std::string_view first, std::string_view second);
  // The slot holding the key, or the empty slot where it would go.
  std::size_t Probe(std::uint64_t hash, std::string_view first, std::string_view second) const;
  void Grow();
  void Clear();

  std::size_t max_entries_;
  std::vector<Slot> slots_;  // size a power of two, at most half full
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace spinlog
