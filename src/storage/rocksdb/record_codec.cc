#include "storage/rocksdb/record_codec.h"

#include <algorithm>
#include <limits>

#include "storage/rocksdb/key_codec.h"

namespace spinlog::storage::rocks {
namespace {

std::string EncodeNamed(std::string_view name) {
  std::string value;
  value.reserve(1 + name.size());
  value.push_back(kRecordFormatV1);
  value.append(name);
  return value;
}

bool DecodeNamed(std::string_view value, std::string* name) {
  if (value.empty() || value[0] != kRecordFormatV1) return false;
  name->assign(value.substr(1));
  return true;
}

// Durations are unsigned: start < end, and the difference of two int64 may
// exceed INT64_MAX, which unsigned arithmetic wraps back correctly.
std::uint64_t Duration(const PlayRecord& play) {
  return static_cast<std::uint64_t>(play.end) - static_cast<std::uint64_t>(play.start);
}

bool SetEnd(std::uint64_t duration, PlayRecord* play) {
  if (duration == 0) return false;
  play->end = static_cast<UnixMicros>(static_cast<std::uint64_t>(play->start) + duration);
  return play->end > play->start;
}

}  // namespace

void AppendVarint(std::string* out, std::uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ConsumeVarint(std::string_view* in, std::uint64_t* value) {
  std::uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= std::uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

std::string EncodeId(std::uint32_t id) {
  std::string value;
  AppendUint32(&value, id);
  return value;
}

bool DecodeId(std::string_view value, std::uint32_t* id) {
  if (value.size() != 4) return false;
  *id = ReadUint32(value.data());
  return true;
}

// Channels with only a name keep the version 1 value (format byte + name);
// any other field makes a version 2 value: format byte 2, varint name size,
// name, varint country size, country, varint (audience + 1).
std::string EncodeChannelValue(const ChannelRecord& channel) {
  if (channel.country.empty() && channel.audience < 0) return EncodeNamed(channel.name);
  std::string value;
  value.push_back(kRecordFormatV2);
  AppendVarint(&value, channel.name.size());
  value.append(channel.name);
  AppendVarint(&value, channel.country.size());
  value.append(channel.country);
  AppendVarint(&value, static_cast<std::uint64_t>(std::max<std::int64_t>(channel.audience, -1) + 1));
  return value;
}

bool DecodeChannelValue(std::string_view value, ChannelRecord* channel) {
  channel->country.clear();
  channel->audience = -1;
  if (!value.empty() && value[0] == kRecordFormatV1) return DecodeNamed(value, &channel->name);
  if (value.empty() || value[0] != kRecordFormatV2) return false;
  value.remove_prefix(1);
  std::uint64_t size = 0;
  if (!ConsumeVarint(&value, &size) || size > value.size()) return false;
  channel->name.assign(value.substr(0, size));
  value.remove_prefix(size);
  if (!ConsumeVarint(&value, &size) || size > value.size()) return false;
  channel->country.assign(value.substr(0, size));
  value.remove_prefix(size);
  std::uint64_t audience = 0;
  if (!ConsumeVarint(&value, &audience) ||
      audience > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return false;
  }
  channel->audience = static_cast<std::int64_t>(audience) - 1;
  return value.empty();
}

std::string EncodePerformerValue(const PerformerRecord& performer) {
  return EncodeNamed(performer.name);
}

bool DecodePerformerValue(std::string_view value, PerformerRecord* performer) {
  return DecodeNamed(value, &performer->name);
}

std::string EncodeSongValue(const SongRecord& song) {
  std::string value;
  value.reserve(5 + song.title.size());
  value.push_back(kRecordFormatV1);
  AppendUint32(&value, song.performer_id);
  value.append(song.title);
  return value;
}

bool DecodeSongValue(std::string_view value, SongRecord* song) {
  if (value.size() < 5 || value[0] != kRecordFormatV1) return false;
  song->performer_id = ReadUint32(value.data() + 1);
  song->title.assign(value.substr(5));
  return true;
}

std::string EncodeChannelGroupValue(const ChannelGroupRecord& group) {
  std::string value;
  value.push_back(kRecordFormatV1);
  AppendVarint(&value, group.name.size());
  value.append(group.name);
  AppendVarint(&value, group.channels.size());
  ChannelId previous = 0;
  for (ChannelId channel : group.channels) {
    AppendVarint(&value, channel - previous);
    previous = channel;
  }
  return value;
}

bool DecodeChannelGroupValue(std::string_view value, ChannelGroupRecord* group) {
  if (value.empty() || value[0] != kRecordFormatV1) return false;
  value.remove_prefix(1);
  std::uint64_t size = 0;
  if (!ConsumeVarint(&value, &size) || size > value.size()) return false;
  group->name.assign(value.substr(0, size));
  value.remove_prefix(size);
  std::uint64_t count = 0;
  if (!ConsumeVarint(&value, &count) || count > value.size()) return false;
  group->channels.clear();
  group->channels.reserve(count);
  std::uint64_t channel = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t delta = 0;
    if (!ConsumeVarint(&value, &delta) || delta == 0) return false;
    channel += delta;
    if (channel > std::numeric_limits<ChannelId>::max()) return false;
    group->channels.push_back(static_cast<ChannelId>(channel));
  }
  return value.empty();
}

std::string EncodePlayValue(const PlayRecord& play) {
  std::string value;
  AppendVarint(&value, play.song_id);
  AppendVarint(&value, Duration(play));
  return value;
}

bool DecodePlayValue(std::string_view value, PlayRecord* play) {
  std::uint64_t song = 0;
  std::uint64_t duration = 0;
  if (!ConsumeVarint(&value, &song) || song > std::numeric_limits<SongId>::max() ||
      !ConsumeVarint(&value, &duration) || !value.empty()) {
    return false;
  }
  play->song_id = static_cast<SongId>(song);
  return SetEnd(duration, play);
}

std::string EncodeSongPlayValue(const PlayRecord& play) {
  std::string value;
  AppendVarint(&value, Duration(play));
  return value;
}

bool DecodeSongPlayValue(std::string_view value, PlayRecord* play) {
  std::uint64_t duration = 0;
  if (!ConsumeVarint(&value, &duration) || !value.empty()) return false;
  return SetEnd(duration, play);
}

}  // namespace spinlog::storage::rocks
