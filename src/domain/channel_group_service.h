// ChannelGroupService: named sets of channels ("all 2,000 channels of a
// country") that charts can be asked for by name or id.
//
// Groups are read on every chart of a group and written rarely: reads come
// from an in-memory cache of immutable records, writes go to the store under
// one mutex and then replace the cached record.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/catalogue_service.h"
#include "storage/store.h"

namespace spinlog::domain {

// Most channels in one group.
inline constexpr std::size_t kMaxGroupChannels = 100'000;

using GroupPtr = std::shared_ptr<const storage::ChannelGroupRecord>;

struct GroupChange {
  std::optional<std::string> name;                       // raw, normalised here
  std::optional<std::vector<storage::ChannelId>> channels;  // replaces all
  std::vector<storage::ChannelId> add;
  std::vector<storage::ChannelId> remove;
};

class ChannelGroupService {
 public:
  // REQUIRES: `store` and `catalogue` outlive the service.
  ChannelGroupService(storage::Store* store, CatalogueService* catalogue);

  // Creates the group, or returns the existing one when a group of that name
  // has exactly these channels (*created false). InvalidArgument naming
  // "name" or "channel_ids"; AlreadyExists when the name holds other channels.
  Result<GroupPtr> Create(std::string_view raw_name, const std::vector<storage::ChannelId>& channels,
                          bool* created);
  // NotFound "no channel group has id N".
  Result<GroupPtr> Get(storage::ChannelGroupId id);
  // NotFound "no channel group is named 'X'".
  Result<GroupPtr> Find(std::string_view raw_name);
  // Applies `change` (name, then channels, then add, then remove). Errors as
  // Create, and NotFound.
  Result<GroupPtr> Update(storage::ChannelGroupId id, const GroupChange& change);
  // NotFound when there is no such group.
  Status Delete(storage::ChannelGroupId id);
  // Up to `limit` groups with id > after, in id order.
  Result<std::vector<GroupPtr>> List(storage::ChannelGroupId after, std::size_t limit);

 private:
  // InvalidArgument naming `field` for unknown channels or too many.
  Status CheckChannels(const std::vector<storage::ChannelId>& channels, const char* field);
  void Remember(const GroupPtr& group);

  storage::Store* store_;
  CatalogueService* catalogue_;
  std::mutex write_mutex_;
  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<storage::ChannelGroupId, GroupPtr> cache_;  // guarded by cache_mutex_
};

}  // namespace spinlog::domain
