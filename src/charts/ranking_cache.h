// RankingCache: the rankings of whole-day periods already counted, each kept
// with the rollup's version of its days (PlayRollup::Version), and served
// only while that version is unchanged. A play stored on any day of a period
// (backdated ones included) changes the version, so a cached ranking is
// always the one counting would give now: charts stay exact, and the past
// periods that a chart's history walks are counted once, not per request.
//
// Bounded: the least recently used rankings are dropped once their bytes
// (PeriodRanking::bytes) pass the budget.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "charts/period_ranking.h"
#include "storage/records.h"

namespace spinlog::charts {

class RankingCache {
 public:
  // What a ranking was counted over: channels with their weights (none for
  // plain plays) and the days [from_day, to_day).
  struct Key {
    std::vector<storage::ChannelId> channels;  // sorted
    std::vector<std::int64_t> weights;         // per channel, or empty
    std::int64_t from_day = 0;
    std::int64_t to_day = 0;
    bool operator==(const Key&) const = default;
  };
  // The key of `channels` (distinct, any order) weighted by `weights` (one
  // per channel, or null).
  static Key MakeKey(std::span<const storage::ChannelId> channels,
                     const std::vector<std::int64_t>* weights, std::int64_t from_day,
                     std::int64_t to_day);

  // REQUIRES: max_bytes > 0.
  explicit RankingCache(std::size_t max_bytes);

  // The ranking stored for `key` if it was counted at `version`; null
  // otherwise (a stale one is dropped).
  std::shared_ptr<const PeriodRanking> Find(const Key& key, std::uint64_t version);

  // Keeps `ranking`, counted at `version`, for `key` (replacing what was
  // there), then drops the least recently used until within the budget. A
  // ranking larger than the whole budget is not kept.
  void Insert(Key key, std::uint64_t version, std::shared_ptr<const PeriodRanking> ranking);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  struct Slot {
    const Key* key;  // points into the map
    std::uint64_t version;
    std::shared_ptr<const PeriodRanking> ranking;
    std::size_t bytes;
  };
  using Lru = std::list<Slot>;  // most recently used first

  void EraseLocked(Lru::iterator slot);

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  Lru lru_;                                            // guarded by mutex_
  std::unordered_map<Key, Lru::iterator, KeyHash> index_;  // guarded by mutex_
  std::size_t bytes_ = 0;                              // guarded by mutex_
};

}  // namespace spinlog::charts
