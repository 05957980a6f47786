#include "domain/channel_group_service.h"

#include <algorithm>
#include <set>

#include "domain/names.h"

namespace spinlog::domain {
namespace {

std::vector<storage::ChannelId> SortedDistinct(std::vector<storage::ChannelId> channels) {
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  return channels;
}

Status NotFoundId(storage::ChannelGroupId id) {
  return Status::NotFound("no channel group has id " + std::to_string(id));
}

}  // namespace

ChannelGroupService::ChannelGroupService(storage::Store* store, CatalogueService* catalogue)
    : store_(store), catalogue_(catalogue) {}

Status ChannelGroupService::CheckChannels(const std::vector<storage::ChannelId>& channels,
                                          const char* field) {
  if (channels.size() > kMaxGroupChannels) {
    return Status::InvalidFields(
        {{field, "may list at most " + std::to_string(kMaxGroupChannels) + " channels"}});
  }
  std::vector<FieldViolation> unknown;
  for (storage::ChannelId channel : channels) {
    Result<storage::ChannelRecord> found = catalogue_->GetChannel(channel);
    if (found.status().IsNotFound()) {
      if (unknown.size() < 20) {
        unknown.push_back({field, "no channel has id " + std::to_string(channel)});
      }
    } else if (!found.ok()) {
      return found.status();
    }
  }
  if (!unknown.empty()) return Status::InvalidFields(std::move(unknown));
  return Status::OK();
}

void ChannelGroupService::Remember(const GroupPtr& group) {
  std::unique_lock lock(cache_mutex_);
  cache_[group->id] = group;
}

Result<GroupPtr> ChannelGroupService::Create(std::string_view raw_name,
                                             const std::vector<storage::ChannelId>& channels,
                                             bool* created) {
  *created = false;
  std::vector<FieldViolation> problems;
  const std::string name = NormalizeName("name", raw_name, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  const std::vector<storage::ChannelId> wanted = SortedDistinct(channels);
  SPINLOG_RETURN_IF_ERROR(CheckChannels(wanted, "channel_ids"));
  std::lock_guard<std::mutex> guard(write_mutex_);
  Result<storage::ChannelGroupRecord> existing = store_->FindChannelGroup(name);
  if (existing.ok()) {
    if (existing->channels != wanted) {
      return Status::AlreadyExists("channel group '" + name + "' exists (id " +
                                   std::to_string(existing->id) + ") with other channels");
    }
    auto group = std::make_shared<const storage::ChannelGroupRecord>(std::move(existing).value());
    Remember(group);
    return GroupPtr(group);
  }
  if (!existing.status().IsNotFound()) return existing.status();
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelGroupRecord made,
                           store_->CreateChannelGroup(name, wanted));
  auto group = std::make_shared<const storage::ChannelGroupRecord>(std::move(made));
  Remember(group);
  *created = true;
  return GroupPtr(group);
}

Result<GroupPtr> ChannelGroupService::Get(storage::ChannelGroupId id) {
  {
    std::shared_lock lock(cache_mutex_);
    if (auto it = cache_.find(id); it != cache_.end()) return it->second;
  }
  // Under the write mutex, so that a concurrent update cannot be overtaken
  // by this older read landing in the cache after it.
  std::lock_guard<std::mutex> guard(write_mutex_);
  Result<storage::ChannelGroupRecord> found = store_->GetChannelGroup(id);
  if (found.status().IsNotFound()) return NotFoundId(id);
  if (!found.ok()) return found.status();
  auto group = std::make_shared<const storage::ChannelGroupRecord>(std::move(found).value());
  Remember(group);
  return GroupPtr(group);
}

Result<GroupPtr> ChannelGroupService::Find(std::string_view raw_name) {
  std::vector<FieldViolation> problems;
  const std::string name = NormalizeName("group", raw_name, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  Result<storage::ChannelGroupRecord> found = store_->FindChannelGroup(name);
  if (found.status().IsNotFound()) {
    return Status::NotFound("no channel group is named '" + name + "'");
  }
  if (!found.ok()) return found.status();
  return Get(found->id);
}

Result<GroupPtr> ChannelGroupService::Update(storage::ChannelGroupId id, const GroupChange& change) {
  std::vector<FieldViolation> problems;
  std::optional<std::string> name;
  if (change.name) name = NormalizeName("name", *change.name, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  std::lock_guard<std::mutex> guard(write_mutex_);
  Result<storage::ChannelGroupRecord> found = store_->GetChannelGroup(id);
  if (found.status().IsNotFound()) return NotFoundId(id);
  if (!found.ok()) return found.status();
  storage::ChannelGroupRecord group = std::move(found).value();
  if (name) group.name = *name;
  if (change.channels) {
    group.channels = SortedDistinct(*change.channels);
    SPINLOG_RETURN_IF_ERROR(CheckChannels(group.channels, "channel_ids"));
  }
  if (!change.add.empty()) {
    SPINLOG_RETURN_IF_ERROR(CheckChannels(SortedDistinct(change.add), "add_channel_ids"));
    group.channels.insert(group.channels.end(), change.add.begin(), change.add.end());
    group.channels = SortedDistinct(std::move(group.channels));
  }
  if (!change.remove.empty()) {
    const std::set<storage::ChannelId> gone(change.remove.begin(), change.remove.end());
    std::erase_if(group.channels, [&](storage::ChannelId c) { return gone.count(c) != 0; });
  }
  if (group.channels.size() > kMaxGroupChannels) {
    return Status::InvalidFields(
        {{"channel_ids",
          "a group may hold at most " + std::to_string(kMaxGroupChannels) + " channels"}});
  }
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelGroupRecord updated, store_->UpdateChannelGroup(group));
  auto shared = std::make_shared<const storage::ChannelGroupRecord>(std::move(updated));
  Remember(shared);
  return GroupPtr(shared);
}

Status ChannelGroupService::Delete(storage::ChannelGroupId id) {
  std::lock_guard<std::mutex> guard(write_mutex_);
  const Status deleted = store_->DeleteChannelGroup(id);
  if (deleted.IsNotFound()) return NotFoundId(id);
  SPINLOG_RETURN_IF_ERROR(deleted);
  std::unique_lock lock(cache_mutex_);
  cache_.erase(id);
  return Status::OK();
}

Result<std::vector<GroupPtr>> ChannelGroupService::List(storage::ChannelGroupId after,
                                                        std::size_t limit) {
  std::vector<GroupPtr> groups;
  SPINLOG_RETURN_IF_ERROR(
      store_->ForEachChannelGroup(after, [&](const storage::ChannelGroupRecord& group) {
        groups.push_back(std::make_shared<const storage::ChannelGroupRecord>(group));
        return groups.size() < limit;
      }));
  return groups;
}

}  // namespace spinlog::domain
