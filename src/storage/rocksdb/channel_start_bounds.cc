#include "storage/rocksdb/channel_start_bounds.h"

#include <algorithm>

namespace spinlog::storage::rocks {

void ChannelStartBounds::Learn(ChannelId channel, UnixMicros bound) {
  if (channel >= bounds_.size()) bounds_.resize(std::size_t{channel} + 1);
  bounds_[channel] = bound;
}

void ChannelStartBounds::Raise(ChannelId channel, UnixMicros start) {
  if (channel >= bounds_.size() || !bounds_[channel]) return;
  bounds_[channel] = std::max(*bounds_[channel], start);
}

}  // namespace spinlog::storage::rocks
