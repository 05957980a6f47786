// TopAnswerCache: get_top's encoded answers, kept with the chart stamp
// (ChartService::TopStamp) read before each was computed, and served only
// while that stamp is unchanged. A play stored on any day of either week
// (backdated ones included), or a song's label changing, changes the stamp,
// so a kept answer is always the one computing would give now: get_top stays
// exact and fresh, and a repeated query skips the ranking and the encoding.
//
// Keyed by what the answer depends on besides the stamp: the resolved
// channels (as a set: the chart does not depend on their order), the start
// and the limit. Channel names are resolved before the look-up, so a renamed
// or deleted channel never reaches a kept answer by its old name.
//
// Bounded: once the kept bodies pass the budget, everything is dropped and
// the cache fills again (chart publishers ask a few thousand distinct charts;
// a W1 week of 10 channels, limit 10, is about 1 KB).
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "charts/chart_service.h"
#include "common/string_map.h"
#include "storage/records.h"

namespace spinlog::api::classic {

class TopAnswerCache {
 public:
  struct Key {
    std::vector<storage::ChannelId> channels;  // sorted, distinct
    std::int64_t start = 0;
    std::int64_t limit = 0;
    bool operator==(const Key&) const = default;
  };
  // The key of `channels` (distinct, any order).
  static Key MakeKey(std::span<const storage::ChannelId> channels, std::int64_t start,
                     std::int64_t limit);

  // Default budget of kept bodies.
  static constexpr std::size_t kDefaultMaxBytes = 16u << 20;

  // REQUIRES: max_bytes > 0.
  explicit TopAnswerCache(std::size_t max_bytes = kDefaultMaxBytes);

  // The body kept for `key` if it was computed at `stamp`; nullopt otherwise.
  std::optional<std::string> Find(const Key& key, const charts::ChartService::TopStamp& stamp) const;

  // Keeps `body`, computed after `stamp` was read, for `key` (replacing what
  // was there). A body larger than the whole budget is not kept.
  void Insert(Key key, const charts::ChartService::TopStamp& stamp, std::string body);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  struct Entry {
    charts::ChartService::TopStamp stamp;
    std::string body;
  };

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<Key, Entry, KeyHash> entries_;  // guarded by mutex_
  std::size_t bytes_ = 0;                            // guarded by mutex_
};

// The channel ids that a query's names resolved to, with the catalogue's
// generation read before resolving them
// (domain::CatalogueService::channel_names_generation): reused while that
// generation is unchanged. Thread-safe.
class ResolvedChannels {
 public:
  // The ids resolved at `generation`; nullopt otherwise.
  std::optional<std::vector<storage::ChannelId>> Find(std::uint64_t generation) const;
  void Set(std::uint64_t generation, std::vector<storage::ChannelId> ids);

 private:
  mutable std::mutex mutex_;
  bool set_ = false;                     // guarded by mutex_
  std::uint64_t generation_ = 0;         // guarded by mutex_
  std::vector<storage::ChannelId> ids_;  // guarded by mutex_
};

// What a get_top query string asks for once decoded: a pure function of the
// text (names are normalised, not yet resolved: channels can be renamed).
struct TopQuery {
  TopQuery(std::vector<std::string> n, std::int64_t s, std::int64_t l)
      : names(std::move(n)), start(s), limit(l) {}
  const std::vector<std::string> names;
  const std::int64_t start;
  const std::int64_t limit;
  // What `names` resolved to last.
  mutable ResolvedChannels resolved;
};

// TopQueryMemo: decoded get_top query strings, so that a query string seen
// before is not percent-decoded, parsed as JSON and normalised again.
// Decoding depends on nothing but the text, so a kept entry never goes
// stale. Only queries that decoded without a violation are kept.
//
// Bounded: at most kMaxEntries queries of at most kMaxQueryBytes each; when
// full, everything is dropped and it fills again.
//
// Thread-safety: every method may be called concurrently.
class TopQueryMemo {
 public:
  static constexpr std::size_t kMaxEntries = 4096;
  static constexpr std::size_t kMaxQueryBytes = 2048;

  // What `query` decoded to, or null when it is not kept.
  std::shared_ptr<const TopQuery> Find(std::string_view query) const;
  // Keeps what `query` decoded to (nothing when the query is too long).
  void Insert(std::string_view query, std::shared_ptr<const TopQuery> decoded);

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  // guarded by mutex_
  StringMap<std::shared_ptr<const TopQuery>> entries_;
};

}  // namespace spinlog::api::classic
