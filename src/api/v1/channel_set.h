// The channels a request is about: `channel_id` (ids, comma-separated and/or
// repeated) or `group` (a channel group's id or name), as GET /api/v1/charts
// and the series endpoints take them.
#pragma once

#include <optional>
#include <vector>

#include "api/request_fields.h"
#include "api/services.h"

namespace spinlog::api::v1 {

inline constexpr std::size_t kMaxRequestChannels = 5000;

class ChannelSetReader {
 public:
  // Reads the fields; problems go to `in` (both given, malformed ids).
  // Call Resolve after `in` reports ok.
  explicit ChannelSetReader(FieldReader& in);

  // True when neither field was given.
  bool absent() const { return !by_group_ && !by_ids_; }

  // The channels: the group's, or the ids after checking that each exists.
  // InvalidArgument naming `group` or `channel_id` for unknown ones.
  Result<std::vector<storage::ChannelId>> Resolve(const Services& services) const;

 private:
  bool by_group_ = false;
  bool by_ids_ = false;
  std::string group_;
  std::vector<storage::ChannelId> ids_;
};

}  // namespace spinlog::api::v1
