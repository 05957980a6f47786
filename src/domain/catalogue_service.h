// CatalogueService: channels, performers and songs by name, with the classic
// API's idempotent "add" semantics (adding what exists changes nothing).
//
// All names given to this service must be normalised (domain/names.h).
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "charts/chart_service.h"
#include "common/result.h"
#include "domain/name_cache.h"
#include "storage/store.h"

namespace spinlog::domain {

// Largest audience a channel may carry: more listeners than people, and small
// enough that plays times audience cannot overflow a weighted chart.
inline constexpr std::int64_t kMaxAudience = 10'000'000'000;

class CatalogueService {
 public:
  // REQUIRES: `store` and `charts` outlive the service.
  CatalogueService(storage::Store* store, charts::ChartService* charts);

  // Each returns the existing or created record; IOError when the store fails.
  Result<storage::ChannelRecord> AddChannel(std::string_view name);
  Result<storage::PerformerRecord> AddPerformer(std::string_view name);
  // Creates the performer too when missing.
  Result<storage::SongRecord> AddSong(std::string_view performer, std::string_view title);

  Result<storage::ChannelRecord> FindChannel(std::string_view name);

  // Changes a channel; unset fields stay. A rename keeps the id and plays.
  struct ChannelChange {
    std::optional<std::string> name;       // raw: normalised here ("name")
    std::optional<std::string> country;    // ISO 3166-1 alpha-2, any case; "" clears
    std::optional<std::int64_t> audience;  // listeners, >= 0; -1 clears
  };
  // InvalidArgument naming the field; NotFound naming the id; AlreadyExists
  // when another channel has the new name.
  Result<storage::ChannelRecord> UpdateChannel(storage::ChannelId id, const ChannelChange& change);
  // NotFound names the song and its performer.
  Result<storage::SongRecord> FindSong(std::string_view performer, std::string_view title);

  // Records by id; NotFound naming the id when there is none.
  Result<storage::ChannelRecord> GetChannel(storage::ChannelId id);
  Result<storage::SongRecord> GetSong(storage::SongId id);
  Result<storage::PerformerRecord> GetPerformer(storage::PerformerId id);

  // The songs of `performer`, in id order. The store has no index from
  // performer to songs: this is the charts' in-memory one (filled at start
  // from every song record and by AddSong), which knows every song.
  std::vector<storage::SongId> SongsOf(storage::PerformerId performer) const {
    return charts_->SongsOf(performer);
  }

  // The ids of `names`, duplicates removed, in first-seen order. NotFound
  // naming every unknown channel when any is unknown.
  Result<std::vector<storage::ChannelId>> ResolveChannels(std::span<const std::string> names);

 private:
  // The key of a song in songs_: its performer id, then its title.
  static std::string SongKey(storage::PerformerId performer, std::string_view title);
  // A performer by name, from the cache or the store.
  Result<storage::PerformerRecord> LookupPerformer(std::string_view name);

  storage::Store* store_;
  charts::ChartService* charts_;
  // Channel updates hold it exclusively, channel cache fills shared: a fill
  // that read a channel before a rename cannot land in the cache after it.
  std::shared_mutex channel_update_mutex_;
  NameCache<storage::ChannelRecord> channels_;
  NameCache<storage::PerformerRecord> performers_;
  NameCache<storage::SongRecord> songs_;
  IdCache<storage::ChannelRecord> channels_by_id_;
  IdCache<storage::PerformerRecord> performers_by_id_;
  IdCache<storage::SongRecord> songs_by_id_;
};

}  // namespace spinlog::domain
