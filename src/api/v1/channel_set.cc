#include "api/v1/channel_set.h"

#include <charconv>

namespace spinlog::api::v1 {

ChannelSetReader::ChannelSetReader(FieldReader& in) {
  if (in.Has("group") && in.Has("channel_id")) {
    in.AddViolation("group", "give either channel_id or group, not both");
  } else if (in.Has("group")) {
    by_group_ = true;
    group_ = in.OptionalString("group", "");
  } else if (in.Has("channel_id")) {
    by_ids_ = true;
    ids_ = in.IdList("channel_id", kMaxRequestChannels);
  }
}

Result<std::vector<storage::ChannelId>> ChannelSetReader::Resolve(const Services& s) const {
  if (by_group_) {
    // An id, or else a name.
    storage::ChannelGroupId id = 0;
    auto [end, error] = std::from_chars(group_.data(), group_.data() + group_.size(), id);
    const bool by_id =
        !group_.empty() && error == std::errc() && end == group_.data() + group_.size() && id != 0;
    Result<domain::GroupPtr> group = by_id ? s.groups->Get(id) : s.groups->Find(group_);
    if (group.status().IsNotFound()) {
      return Status::InvalidFields({{"group", group.status().message()}});
    }
    if (!group.ok()) return group.status();
    // A group's channels exist: they were checked when it was written.
    return (*group)->channels;
  }
  std::vector<FieldViolation> unknown;
  for (storage::ChannelId channel : ids_) {
    Result<storage::ChannelRecord> found = s.catalogue->GetChannel(channel);
    if (found.status().IsNotFound()) {
      unknown.push_back({"channel_id", "no channel has id " + std::to_string(channel)});
    } else if (!found.ok()) {
      return found.status();
    }
  }
  if (!unknown.empty()) return Status::InvalidFields(std::move(unknown));
  return ids_;
}

}  // namespace spinlog::api::v1
