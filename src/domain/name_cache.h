// NameCache: records by name, kept in memory in front of the store so that
// the hot paths (every add_play, every chart request) resolve names without
// a store read. Entries are added after the store has the record; the
// catalogue service keeps them in step with its own writes, and drops those
// that other nodes' writes made stale (CatalogueService::ForgetChanged).
//
// Thread-safety: Find and Put may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/string_map.h"

namespace spinlog::domain {

template <typename Record>
class NameCache {
 public:
  std::optional<Record> Find(std::string_view key) const {
    std::shared_lock lock(mutex_);
    auto it = records_.find(key);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }

  // Calls read(record) under the lock when `key` is cached, without copying
  // the record; returns whether it was. `read` must not call back in.
  template <typename F>
  bool Read(std::string_view key, F&& read) const {
    std::shared_lock lock(mutex_);
    auto it = records_.find(key);
    if (it == records_.end()) return false;
    read(it->second);
    return true;
  }
  void Put(std::string_view key, const Record& record) {
    std::unique_lock lock(mutex_);
    records_.insert_or_assign(std::string(key), record);
    Changed();
  }

  void Erase(std::string_view key) {
    std::unique_lock lock(mutex_);
    records_.erase(std::string(key));
    Changed();
  }

  // Erases every entry whose record `drop` selects (a walk of the cache).
  template <typename Predicate>
  void EraseIf(Predicate drop) {
    std::unique_lock lock(mutex_);
    std::erase_if(records_, [&drop](const auto& entry) { return drop(entry.second); });
    Changed();
  }

  // Erases every entry whose key starts with `prefix` (a walk of the cache).
  void ErasePrefix(std::string_view prefix) {
    std::unique_lock lock(mutex_);
    std::erase_if(records_, [prefix](const auto& entry) { return entry.first.starts_with(prefix); });
    Changed();
  }

  // A number that grows with every Put and erase: while it is unchanged,
  // every Find and Read answers as before.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  // Under the exclusive lock, after the change: a reader that sees the new
  // number sees the change.
  void Changed() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  mutable std::shared_mutex mutex_;
  std::atomic<std::uint64_t> generation_{0};
  StringMap<Record> records_;  // probed with string_views, without a copy
};

// IdCache: records by id, for the reads that turn stored ids back into
// names (every play listed names its song). Same rules as NameCache.
template <typename Record>
class IdCache {
 public:
  std::optional<Record> Find(std::uint32_t id) const {
    std::shared_lock lock(mutex_);
    auto it = records_.find(id);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }

  void Put(std::uint32_t id, const Record& record) {
    std::unique_lock lock(mutex_);
    records_.insert_or_assign(id, record);
  }

  void Erase(std::uint32_t id) {
    std::unique_lock lock(mutex_);
    records_.erase(id);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::uint32_t, Record> records_;
};

}  // namespace spinlog::domain
