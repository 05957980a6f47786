#include "storage/rocksdb/key_codec.h"

namespace spinlog::storage::rocks {
namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

std::string TaggedKey(CatalogueTag tag, std::size_t reserve) {
  std::string key;
  key.reserve(1 + reserve);
  key.push_back(static_cast<char>(tag));
  return key;
}

void AppendUint64(std::string* out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

std::uint64_t ReadUint64(const char* in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(in[i]);
  }
  return value;
}

}  // namespace

void AppendUint32(std::string* out, std::uint32_t value) {
  out->push_back(static_cast<char>((value >> 24) & 0xFF));
  out->push_back(static_cast<char>((value >> 16) & 0xFF));
  out->push_back(static_cast<char>((value >> 8) & 0xFF));
  out->push_back(static_cast<char>(value & 0xFF));
}

std::uint32_t ReadUint32(const char* in) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

void AppendTime(std::string* out, UnixMicros value) {
  // Two's complement orders negatives after positives bytewise; flipping the
  // sign bit moves them in front, keeping the order of both halves.
  AppendUint64(out, static_cast<std::uint64_t>(value) ^ kSignBit);
}

UnixMicros ReadTime(const char* in) { return static_cast<UnixMicros>(ReadUint64(in) ^ kSignBit); }

std::string MetaKey(std::string_view name) {
  std::string key = TaggedKey(CatalogueTag::kMeta, name.size());
  key.append(name);
  return key;
}

std::string CounterKey(CatalogueTag record_tag) {
  std::string key = TaggedKey(CatalogueTag::kCounter, 1);
  key.push_back(static_cast<char>(record_tag));
  return key;
}

std::string RecordKey(CatalogueTag record_tag, std::uint32_t id) {
  std::string key = TaggedKey(record_tag, 4);
  AppendUint32(&key, id);
  return key;
}

bool ParseRecordKey(std::string_view key, CatalogueTag record_tag, std::uint32_t* id) {
  if (key.size() != kRecordKeySize || key[0] != static_cast<char>(record_tag)) return false;
  *id = ReadUint32(key.data() + 1);
  return true;
}

std::string ChannelNameKey(std::string_view name) {
  std::string key = TaggedKey(CatalogueTag::kChannelName, name.size());
  key.append(name);
  return key;
}

std::string PerformerNameKey(std::string_view name) {
  std::string key = TaggedKey(CatalogueTag::kPerformerName, name.size());
  key.append(name);
  return key;
}

std::string ChannelGroupNameKey(std::string_view name) {
  std::string key = TaggedKey(CatalogueTag::kChannelGroupName, name.size());
  key.append(name);
  return key;
}

std::string SongTitleAllPrefix(std::string_view title_prefix) {
  std::string key = TaggedKey(CatalogueTag::kSongTitleAll, title_prefix.size() + 6);
  for (char c : title_prefix) {
    key.push_back(c);
    if (c == '\0') key.push_back('\xFF');
  }
  return key;
}

std::string SongTitleAllKey(std::string_view title, SongId song) {
  std::string key = SongTitleAllPrefix(title);
  key.push_back('\0');
  key.push_back('\x01');
  AppendUint32(&key, song);
  return key;
}

bool ParseSongTitleAllKey(std::string_view key, std::string* title, SongId* song) {
  if (key.size() < 7 || key[0] != static_cast<char>(CatalogueTag::kSongTitleAll)) return false;
  title->clear();
  std::size_t i = 1;
  const std::size_t end = key.size() - 4;
  for (;;) {
    if (i >= end) return false;
    if (key[i] != '\0') {
      title->push_back(key[i++]);
      continue;
    }
    if (i + 1 >= end) return false;
    if (key[i + 1] == '\xFF') {
      title->push_back('\0');
      i += 2;
      continue;
    }
    if (key[i + 1] != '\x01' || i + 2 != end) return false;
    break;
  }
  *song = ReadUint32(key.data() + end);
  return true;
}

namespace {

std::string CountryKey(CatalogueTag tag, std::string_view country, std::string_view name) {
  std::string key = TaggedKey(tag, 2 + name.size());
  key.append(country);
  key.append(name);
  return key;
}

}  // namespace

std::string ChannelCountryKey(std::string_view country, std::string_view name) {
  return CountryKey(CatalogueTag::kChannelCountry, country, name);
}

std::string PerformerCountryKey(std::string_view country, std::string_view name) {
  return CountryKey(CatalogueTag::kPerformerCountry, country, name);
}

std::string SongTitleKey(PerformerId performer, std::string_view title) {
  std::string key = TaggedKey(CatalogueTag::kSongTitle, 4 + title.size());
  AppendUint32(&key, performer);
  key.append(title);
  return key;
}

std::string ChannelPlayKey(ChannelId channel, UnixMicros start) {
  std::string key;
  key.reserve(kChannelPlayKeySize);
  AppendChannelPlayKey(&key, channel, start);
  return key;
}

void AppendChannelPlayKey(std::string* out, ChannelId channel, UnixMicros start) {
  AppendUint32(out, channel);
  AppendTime(out, start);
}

bool ParseChannelPlayKey(std::string_view key, ChannelId* channel, UnixMicros* start) {
  if (key.size() != kChannelPlayKeySize) return false;
  *channel = ReadUint32(key.data());
  *start = ReadTime(key.data() + 4);
  return true;
}

std::string SongPlayKey(SongId song, UnixMicros start, ChannelId channel) {
  std::string key;
  key.reserve(kSongPlayKeySize);
  AppendSongPlayKey(&key, song, start, channel);
  return key;
}

void AppendSongPlayKey(std::string* out, SongId song, UnixMicros start, ChannelId channel) {
  AppendUint32(out, song);
  AppendTime(out, start);
  AppendUint32(out, channel);
}

bool ParseSongPlayKey(std::string_view key, SongId* song, UnixMicros* start, ChannelId* channel) {
  if (key.size() != kSongPlayKeySize) return false;
  *song = ReadUint32(key.data());
  *start = ReadTime(key.data() + 4);
  *channel = ReadUint32(key.data() + 12);
  return true;
}

}  // namespace spinlog::storage::rocks
