// Key encoding of the RocksDB backend: every key the backend writes is built
// and parsed here, so that docs/storage-format.md has one source to match.
//
// Ids are fixed-width big-endian and times are big-endian with the sign bit
// flipped, so that the bytewise order of keys (RocksDB's default comparator)
// is the numeric order of (id, time, ...) tuples. Names and titles are always
// the last component of a key, which is why they need no terminator and may
// contain any byte, NUL included.
//
// Thread-safety: free functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/time.h"
#include "storage/records.h"

namespace spinlog::storage::rocks {

// The first byte of each key in the catalogue column family ("default").
// Persistent: never renumber, never reuse a retired value.
enum class CatalogueTag : std::uint8_t {
  kMeta = 0x01,           // kMeta + ascii name -> meta value (format version)
  kCounter = 0x02,        // kCounter + record tag byte -> last id handed out
  kChannel = 0x10,        // kChannel + id -> channel record
  kPerformer = 0x11,      // kPerformer + id -> performer record
  kSong = 0x12,           // kSong + id -> song record
  kChannelGroup = 0x13,   // kChannelGroup + id -> channel group record
  kChannelName = 0x20,    // kChannelName + name -> channel id
  kPerformerName = 0x21,  // kPerformerName + name -> performer id
  kSongTitle = 0x22,      // kSongTitle + performer id + title -> song id
  kChannelGroupName = 0x23,  // kChannelGroupName + name -> channel group id
  // Format 3:
  kSongTitleAll = 0x24,     // kSongTitleAll + escaped title + 00 01 + song id -> empty
  kChannelCountry = 0x25,   // kChannelCountry + country (2 bytes) + name -> channel id
  kPerformerCountry = 0x26, // kPerformerCountry + country (2 bytes) + name -> performer id
};

inline constexpr std::size_t kRecordKeySize = 5;
inline constexpr std::size_t kChannelPlayKeySize = 12;
inline constexpr std::size_t kSongPlayKeySize = 16;
// Plays and song plays are grouped by their leading id (channel, song): the
// prefix length that the column families' prefix extractors use.
inline constexpr std::size_t kPlayKeyPrefixSize = 4;

// --- Fixed-width components ------------------------------------------------
void AppendUint32(std::string* out, std::uint32_t value);
// REQUIRES: `in` points at 4 readable bytes.
std::uint32_t ReadUint32(const char* in);
// Big-endian of the value with its sign bit flipped: INT64_MIN encodes as
// 00..00, -1 as 7F FF..FF, 0 as 80 00..00, INT64_MAX as FF..FF.
void AppendTime(std::string* out, UnixMicros value);
// REQUIRES: `in` points at 8 readable bytes.
UnixMicros ReadTime(const char* in);

// --- Catalogue column family -----------------------------------------------
// The key of the meta entry `name`, e.g. "format_version".
std::string MetaKey(std::string_view name);
// The key of the counter of record kind `record_tag` (kChannel, kPerformer or kSong).
std::string CounterKey(CatalogueTag record_tag);
// The key of the record `id` of kind `record_tag`: tag, then id (5 bytes).
std::string RecordKey(CatalogueTag record_tag, std::uint32_t id);
// Returns false when `key` is not a record key of kind `record_tag`.
bool ParseRecordKey(std::string_view key, CatalogueTag record_tag, std::uint32_t* id);
// The name index keys.
std::string ChannelNameKey(std::string_view name);
std::string PerformerNameKey(std::string_view name);
std::string SongTitleKey(PerformerId performer, std::string_view title);
std::string ChannelGroupNameKey(std::string_view name);
// Every song by title, whatever its performer: (title, id) in order. The
// title is escaped (00 -> 00 FF) and ended by 00 01, so that bytewise key
// order is the order of (title bytes, id) and a key prefix of an escaped
// title prefix selects exactly the titles with that prefix.
std::string SongTitleAllKey(std::string_view title, SongId song);
// The key prefix of titles starting with `title_prefix` (no terminator).
std::string SongTitleAllPrefix(std::string_view title_prefix);
// The title and id of such a key; false when malformed.
bool ParseSongTitleAllKey(std::string_view key, std::string* title, SongId* song);
// Records by country, then name (only records with a country).
// REQUIRES: country.size() == 2.
std::string ChannelCountryKey(std::string_view country, std::string_view name);
std::string PerformerCountryKey(std::string_view country, std::string_view name);

// --- Plays column family: (channel id, start) -------------------------------
std::string ChannelPlayKey(ChannelId channel, UnixMicros start);
// Appends the same bytes as ChannelPlayKey to *out (no allocation when *out
// has room).
void AppendChannelPlayKey(std::string* out, ChannelId channel, UnixMicros start);
// Returns false when `key` has the wrong size.
bool ParseChannelPlayKey(std::string_view key, ChannelId* channel, UnixMicros* start);

// --- Song plays column family: (song id, start, channel id) -----------------
std::string SongPlayKey(SongId song, UnixMicros start, ChannelId channel);
void AppendSongPlayKey(std::string* out, SongId song, UnixMicros start, ChannelId channel);
// Returns false when `key` has the wrong size.
bool ParseSongPlayKey(std::string_view key, SongId* song, UnixMicros* start, ChannelId* channel);

}  // namespace spinlog::storage::rocks
