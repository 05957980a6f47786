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
// name, varint country size, country, varint (audience + 1), and, only when
// the channel has attributes, varint size + attributes. Values written before
// attributes existed end after the audience and read as "no attributes".
std::string EncodeChannelValue(const ChannelRecord& channel) {
  if (channel.country.empty() && channel.audience < 0 && channel.attributes.empty()) {
    return EncodeNamed(channel.name);
  }
  std::string value;
  value.push_back(kRecordFormatV2);
  AppendVarint(&value, channel.name.size());
  value.append(channel.name);
  AppendVarint(&value, channel.country.size());
  value.append(channel.country);
  AppendVarint(&value, static_cast<std::uint64_t>(std::max<std::int64_t>(channel.audience, -1) + 1));
  if (!channel.attributes.empty()) {
    AppendVarint(&value, channel.attributes.size());
    value.append(channel.attributes);
  }
  return value;
}

bool DecodeChannelValue(std::string_view value, ChannelRecord* channel) {
  channel->country.clear();
  channel->audience = -1;
  channel->attributes.clear();
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
  if (value.empty()) return true;  // no attributes (and every value written before them)
  if (!ConsumeVarint(&value, &size) || size != value.size()) return false;
  channel->attributes.assign(value);
  return true;
}

namespace {

void AppendSized(std::string* out, std::string_view text) {
  AppendVarint(out, text.size());
  out->append(text);
}

bool ConsumeSized(std::string_view* in, std::string* text) {
  std::uint64_t size = 0;
  if (!ConsumeVarint(in, &size) || size > in->size()) return false;
  text->assign(in->substr(0, size));
  in->remove_prefix(size);
  return true;
}

bool HasDetails(const PerformerRecord& p) {
  return !p.country.empty() || !p.description.empty() || !p.date_of_birth.empty() ||
         !p.website.empty() || !p.picture_url.empty();
}

}  // namespace

// Performers with only a name keep the version 1 value; others: format byte
// 2, then name, country, description, date of birth, website and picture URL,
// each as varint size + bytes.
std::string EncodePerformerValue(const PerformerRecord& performer) {
  if (!HasDetails(performer)) return EncodeNamed(performer.name);
  std::string value;
  value.push_back(kRecordFormatV2);
  for (const std::string* field : {&performer.name, &performer.country, &performer.description,
                                   &performer.date_of_birth, &performer.website,
                                   &performer.picture_url}) {
    AppendSized(&value, *field);
  }
  return value;
}

bool DecodePerformerValue(std::string_view value, PerformerRecord* performer) {
  for (std::string* field : {&performer->country, &performer->description,
                             &performer->date_of_birth, &performer->website,
                             &performer->picture_url}) {
    field->clear();
  }
  if (!value.empty() && value[0] == kRecordFormatV1) return DecodeNamed(value, &performer->name);
  if (value.empty() || value[0] != kRecordFormatV2) return false;
  value.remove_prefix(1);
  for (std::string* field : {&performer->name, &performer->country, &performer->description,
                             &performer->date_of_birth, &performer->website,
                             &performer->picture_url}) {
    if (!ConsumeSized(&value, field)) return false;
  }
  return value.empty();
}

// Songs with only performer and title keep the version 1 value (format
// byte, performer id32, title); others: format byte 2, performer id32,
// varint duration, varint size + release, varint size + ISRC, then the
// title (the rest).
std::string EncodeSongValue(const SongRecord& song) {
  std::string value;
  const bool details = song.duration_seconds > 0 || !song.release.empty() || !song.isrc.empty();
  value.reserve(5 + song.title.size() + (details ? 24 : 0));
  value.push_back(details ? kRecordFormatV2 : kRecordFormatV1);
  AppendUint32(&value, song.performer_id);
  if (details) {
    AppendVarint(&value, static_cast<std::uint64_t>(std::max<std::int64_t>(song.duration_seconds, 0)));
    AppendSized(&value, song.release);
    AppendSized(&value, song.isrc);
  }
  value.append(song.title);
  return value;
}

bool DecodeSongValue(std::string_view value, SongRecord* song) {
  song->duration_seconds = 0;
  song->release.clear();
  song->isrc.clear();
  if (value.size() < 5 || (value[0] != kRecordFormatV1 && value[0] != kRecordFormatV2)) {
    return false;
  }
  const bool details = value[0] == kRecordFormatV2;
  song->performer_id = ReadUint32(value.data() + 1);
  value.remove_prefix(5);
  if (details) {
    std::uint64_t duration = 0;
    if (!ConsumeVarint(&value, &duration) ||
        duration > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        !ConsumeSized(&value, &song->release) || !ConsumeSized(&value, &song->isrc)) {
      return false;
    }
    song->duration_seconds = static_cast<std::int64_t>(duration);
  }
  song->title.assign(value);
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
  AppendPlayValue(&value, play);
  return value;
}

void AppendPlayValue(std::string* out, const PlayRecord& play) {
  AppendVarint(out, play.song_id);
  AppendVarint(out, Duration(play));
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
  AppendSongPlayValue(&value, play);
  return value;
}

void AppendSongPlayValue(std::string* out, const PlayRecord& play) {
  AppendVarint(out, Duration(play));
}

bool DecodeSongPlayValue(std::string_view value, PlayRecord* play) {
  std::uint64_t duration = 0;
  if (!ConsumeVarint(&value, &duration) || !value.empty()) return false;
  return SetEnd(duration, play);
}

}  // namespace spinlog::storage::rocks
