#include "main/raw_name_memo.h"

#include <functional>

namespace spinlog {

std::uint64_t RawNameMemo::Hash(std::string_view first, std::string_view second) {
  const std::uint64_t a = std::hash<std::string_view>{}(first);
  const std::uint64_t b = std::hash<std::string_view>{}(second);
  // Order matters: ("a", "b") and ("b", "a") are different keys.
  return a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
}

std::size_t RawNameMemo::Probe(std::uint64_t hash, std::string_view first,
                               std::string_view second) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.used) return i;
    if (slot.hash == hash && slot.first_size == first.size() &&
        slot.second_size == second.size() &&
        std::string_view(arena_).substr(slot.offset, first.size()) == first &&
        std::string_view(arena_).substr(slot.offset + first.size(), second.size()) == second) {
      return i;
    }
  }
}

std::optional<std::uint32_t> RawNameMemo::Find(std::string_view first,
                                               std::string_view second) const {
  if (slots_.empty()) return std::nullopt;
  const Slot& slot = slots_[Probe(Hash(first, second), first, second)];
  if (!slot.used) return std::nullopt;
  return slot.id;
}

void RawNameMemo::Remember(std::string_view first, std::string_view second, std::uint32_t id) {
  if (size_ >= max_entries_) Clear();
  if (2 * (size_ + 1) > slots_.size()) Grow();
  const std::uint64_t hash = Hash(first, second);
  Slot& slot = slots_[Probe(hash, first, second)];
  if (!slot.used) {
    slot.used = true;
    slot.hash = hash;
    slot.offset = arena_.size();
    slot.first_size = static_cast<std::uint32_t>(first.size());
    slot.second_size = static_cast<std::uint32_t>(second.size());
    arena_.append(first);
    arena_.append(second);
    ++size_;
  }
  slot.id = id;
}

void RawNameMemo::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.used) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void RawNameMemo::Clear() {
  slots_.clear();
  arena_.clear();
  size_ = 0;
}

}  // namespace spinlog
