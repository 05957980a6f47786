// The records that the storage interface stores and returns.
//
// Ids are stable numbers handed out by the store, starting at 1; names are not
// identifiers (a rename keeps the id). Names are stored as the domain gives
// them: already trimmed and NFC-normalised.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"

namespace spinlog::storage {

using ChannelId = std::uint32_t;
using PerformerId = std::uint32_t;
using SongId = std::uint32_t;
using ChannelGroupId = std::uint32_t;

struct ChannelRecord {
  ChannelId id = 0;
  std::string name;
  // ISO 3166-1 alpha-2 ("SE"), or "" when not given.
  std::string country;
  // Listeners, for audience-weighted charts; -1 when not given.
  std::int64_t audience = -1;
  // Free-form attributes: a JSON object as canonical compact text (keys
  // sorted, no duplicates), or "" when the channel has none. The domain
  // validates and canonicalises it; the store keeps the text as given.
  // (The initialiser lets `ChannelRecord{id, name, country, audience}` leave
  // it out without -Wmissing-field-initializers.)
  std::string attributes = {};
  bool operator==(const ChannelRecord&) const = default;
};

// Optional text fields are "" when not given; the domain checks their
// format (api/v1 validation), the store keeps them as given.
struct PerformerRecord {
  PerformerId id = 0;
  std::string name;
  // ISO 3166-1 alpha-2 ("SE"), or "".
  std::string country;
  std::string description;
  // "YYYY-MM-DD", or "".
  std::string date_of_birth;
  // http(s) URLs, or "".
  std::string website;
  std::string picture_url;
  bool operator==(const PerformerRecord&) const = default;
};

// A song is identified by (performer, title).
struct SongRecord {
  SongId id = 0;
  PerformerId performer_id = 0;
  std::string title;
  // Length in whole seconds; 0 when not given.
  std::int64_t duration_seconds = 0;
  // Release date "YYYY-MM-DD", or "".
  std::string release;
  // International Standard Recording Code, 12 characters without dashes
  // ("SEABC2400001"), or "".
  std::string isrc;
  bool operator==(const SongRecord&) const = default;
};

// What Store::MergePerformers did, for the caller's in-memory indexes.
struct PerformerMergeResult {
  // Songs of the merged performer now under the target, with their new record.
  std::vector<SongRecord> moved;
  // (song of the merged performer, song of the target with the same title it
  // was merged into): the first is gone, its plays are the second's.
  std::vector<std::pair<SongId, SongId>> merged;
};

// A named set of channels, e.g. "all channels of a country". Names are
// unique among groups; channels are kept sorted by id, without repeats.
struct ChannelGroupRecord {
  ChannelGroupId id = 0;
  std::string name;
  std::vector<ChannelId> channels;
  bool operator==(const ChannelGroupRecord&) const = default;
};

// One airing of a song on a channel over [start, end).
// Identified by (channel_id, start): a channel airs one thing at a time.
struct PlayRecord {
  ChannelId channel_id = 0;
  UnixMicros start = 0;
  UnixMicros end = 0;
  SongId song_id = 0;
  bool operator==(const PlayRecord&) const = default;
};

// How many stored plays of one song start on one UTC day on one channel.
struct SongPlayCount {
  SongId song = 0;
  std::int64_t plays = 0;
  bool operator==(const SongPlayCount&) const = default;
};

// What became of one play handed to Store::InsertPlays.
enum class PlayInsertOutcome {
  kCreated,    // stored now
  kDuplicate,  // the same play (same song and end) was stored already: nothing changed
  kConflict,   // another song or end is stored at (channel, start): nothing changed
};

struct PlayInsertResult {
  PlayInsertOutcome outcome = PlayInsertOutcome::kCreated;
  // For kDuplicate and kConflict: the play that is stored at (channel, start).
  PlayRecord existing;
};

}  // namespace spinlog::storage
