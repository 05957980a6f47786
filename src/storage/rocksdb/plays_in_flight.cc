#include "storage/rocksdb/plays_in_flight.h"

#include <utility>

namespace spinlog::storage::rocks {
namespace {

bool KeyBefore(const PlayRecord& play, ChannelId channel, UnixMicros start) {
  return play.channel_id < channel || (play.channel_id == channel && play.start < start);
}

}  // namespace

std::shared_ptr<PlayWrite> PlaysInFlight::Begin(std::vector<PlayRecord> plays) {
  auto write = std::make_shared<PlayWrite>();
  write->plays = std::move(plays);
  writes_.push_back(write);
  return write;
}

void PlaysInFlight::End(const std::shared_ptr<PlayWrite>& write, bool ok) {
  write->done = true;
  write->ok = ok;
  writes_.remove(write);
}

PlaysInFlight::Lookup::Lookup(const PlaysInFlight& in_flight) {
  cursors_.reserve(in_flight.writes_.size());
  for (const std::shared_ptr<PlayWrite>& write : in_flight.writes_) {
    cursors_.push_back({write, 0});
  }
}

const PlayRecord* PlaysInFlight::Lookup::Find(ChannelId channel, UnixMicros start,
                                              std::shared_ptr<PlayWrite>* write) {
  for (Cursor& cursor : cursors_) {
    const std::vector<PlayRecord>& plays = cursor.write->plays;
    while (cursor.next < plays.size() && KeyBefore(plays[cursor.next], channel, start)) {
      ++cursor.next;
    }
    if (cursor.next < plays.size() && plays[cursor.next].channel_id == channel &&
        plays[cursor.next].start == start) {
      *write = cursor.write;
      return &plays[cursor.next];
    }
  }
  return nullptr;
}

}  // namespace spinlog::storage::rocks
