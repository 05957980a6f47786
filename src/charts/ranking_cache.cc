#include "charts/ranking_cache.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "common/fnv1a.h"

namespace spinlog::charts {

RankingCache::Key RankingCache::MakeKey(std::span<const storage::ChannelId> channels,
                                        const std::vector<std::int64_t>* weights,
                                        std::int64_t from_day, std::int64_t to_day) {
  Key key;
  key.from_day = from_day;
  key.to_day = to_day;
  if (std::is_sorted(channels.begin(), channels.end())) {  // groups and id lists usually are
    key.channels.assign(channels.begin(), channels.end());
    if (weights != nullptr) key.weights = *weights;
    return key;
  }
  std::vector<std::size_t> order(channels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return channels[a] < channels[b]; });
  key.channels.reserve(channels.size());
  for (std::size_t i : order) key.channels.push_back(channels[i]);
  if (weights != nullptr) {
    key.weights.reserve(order.size());
    for (std::size_t i : order) key.weights.push_back((*weights)[i]);
  }
  return key;
}

std::size_t RankingCache::KeyHash::operator()(const Key& key) const {
  Fnv1a hash;
  hash.Mix(static_cast<std::uint64_t>(key.from_day));
  hash.Mix(static_cast<std::uint64_t>(key.to_day));
  for (storage::ChannelId c : key.channels) hash.Mix(c);
  hash.Mix(key.weights.size());
  for (std::int64_t w : key.weights) hash.Mix(static_cast<std::uint64_t>(w));
  return hash.value();
}

RankingCache::RankingCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::shared_ptr<const PeriodRanking> RankingCache::Find(const Key& key, std::uint64_t version) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  Lru::iterator slot = found->second;
  if (slot->version != version) {
    EraseLocked(slot);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, slot);
  return slot->ranking;
}

void RankingCache::Insert(Key key, std::uint64_t version,
                          std::shared_ptr<const PeriodRanking> ranking) {
  const std::size_t bytes = ranking->bytes() + sizeof(Slot) +
                            key.channels.capacity() * sizeof(storage::ChannelId) +
                            key.weights.capacity() * sizeof(std::int64_t);
  if (bytes > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) EraseLocked(found->second);
  lru_.push_front(Slot{nullptr, version, std::move(ranking), bytes});
  auto [it, inserted] = index_.emplace(std::move(key), lru_.begin());
  lru_.front().key = &it->first;
  bytes_ += bytes;
  while (bytes_ > max_bytes_) EraseLocked(std::prev(lru_.end()));
}

void RankingCache::EraseLocked(Lru::iterator slot) {
  bytes_ -= slot->bytes;
  index_.erase(*slot->key);
  lru_.erase(slot);
}

std::size_t RankingCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t RankingCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace spinlog::charts
