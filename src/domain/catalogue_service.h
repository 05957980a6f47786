// CatalogueService: channels, performers and songs by name, with the classic
// API's idempotent "add" semantics (adding what exists changes nothing).
//
// All names given to this service must be normalised (domain/names.h).
// Thread-safety: every method may be called concurrently.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "charts/chart_service.h"
#include "common/result.h"
#include "domain/name_cache.h"
#include "storage/store.h"

namespace spinlog::domain {

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
  // NotFound names the song and its performer.
  Result<storage::SongRecord> FindSong(std::string_view performer, std::string_view title);

  // Records by id; NotFound naming the id when there is none.
  Result<storage::ChannelRecord> GetChannel(storage::ChannelId id);
  Result<storage::SongRecord> GetSong(storage::SongId id);
  Result<storage::PerformerRecord> GetPerformer(storage::PerformerId id);

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
  NameCache<storage::ChannelRecord> channels_;
  NameCache<storage::PerformerRecord> performers_;
  NameCache<storage::SongRecord> songs_;
  IdCache<storage::ChannelRecord> channels_by_id_;
  IdCache<storage::PerformerRecord> performers_by_id_;
  IdCache<storage::SongRecord> songs_by_id_;
};

}  // namespace spinlog::domain
