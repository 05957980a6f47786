#include "api/classic/top_answer_cache.h"

#include <algorithm>
#include <utility>

#include "common/fnv1a.h"

namespace spinlog::api::classic {
namespace {

// What an entry counts against the budget: its body plus a rough cost of
// its key and the map's node.
std::size_t CostOf(const TopAnswerCache::Key& key, const std::string& body) {
  return body.size() + key.channels.size() * sizeof(storage::ChannelId) + 96;
}

}  // namespace

TopAnswerCache::Key TopAnswerCache::MakeKey(std::span<const storage::ChannelId> channels,
                                            std::int64_t start, std::int64_t limit) {
  Key key;
  key.channels.assign(channels.begin(), channels.end());
  std::sort(key.channels.begin(), key.channels.end());
  key.start = start;
  key.limit = limit;
  return key;
}

std::size_t TopAnswerCache::KeyHash::operator()(const Key& key) const {
  Fnv1a hash;
  for (storage::ChannelId channel : key.channels) hash.Mix(channel);
  hash.Mix(static_cast<std::uint64_t>(key.start));
  hash.Mix(static_cast<std::uint64_t>(key.limit));
  return hash.value();
}

TopAnswerCache::TopAnswerCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::optional<std::string> TopAnswerCache::Find(
    const Key& key, const charts::ChartService::TopStamp& stamp) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.stamp != stamp) return std::nullopt;
  return it->second.body;
}

void TopAnswerCache::Insert(Key key, const charts::ChartService::TopStamp& stamp,
                            std::string body) {
  const std::size_t cost = CostOf(key, body);
  if (cost > max_bytes_) return;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    bytes_ -= CostOf(it->first, it->second.body);
    entries_.erase(it);
  }
  if (bytes_ + cost > max_bytes_) {
    // Starting over is simpler than tracking use, and rare: the budget holds
    // thousands of charts.
    entries_.clear();
    bytes_ = 0;
  }
  entries_.emplace(std::move(key), Entry{stamp, std::move(body)});
  bytes_ += cost;
}

std::size_t TopAnswerCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t TopAnswerCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<std::vector<storage::ChannelId>> ResolvedChannels::Find(
    std::uint64_t generation) const {
  std::lock_guard lock(mutex_);
  if (!set_ || generation_ != generation) return std::nullopt;
  return ids_;
}

void ResolvedChannels::Set(std::uint64_t generation, std::vector<storage::ChannelId> ids) {
  std::lock_guard lock(mutex_);
  set_ = true;
  generation_ = generation;
  ids_ = std::move(ids);
}

std::shared_ptr<const TopQuery> TopQueryMemo::Find(std::string_view query) const {
  if (query.size() > kMaxQueryBytes) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(query);
  return it == entries_.end() ? nullptr : it->second;
}

void TopQueryMemo::Insert(std::string_view query, std::shared_ptr<const TopQuery> decoded) {
  if (query.size() > kMaxQueryBytes) return;
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(std::string(query), std::move(decoded));
}

std::size_t TopQueryMemo::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace spinlog::api::classic
