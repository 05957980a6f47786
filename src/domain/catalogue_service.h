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
#include "domain/catalogue_fields.h"
#include "domain/channel_attributes.h"
#include "domain/name_cache.h"
#include "storage/store.h"

namespace spinlog::domain {

// Largest audience a channel may carry: more listeners than people, and small
// enough that plays times audience cannot overflow a weighted chart.
inline constexpr std::int64_t kMaxAudience = 10'000'000'000;

// How a list of the catalogue is ordered.
enum class CatalogueOrder {
  kById,    // ascending ids (creation order)
  kByName,  // bytewise order of the stored (NFC) names or titles; unique, so no ties
};

// Which records a list of the catalogue holds, and where its page starts.
struct CatalogueListQuery {
  CatalogueOrder order = CatalogueOrder::kById;
  // Only names (song titles) that start with these bytes; "" for all.
  std::string name_prefix;
  // Songs only: only the songs of this performer; 0 for every performer.
  storage::PerformerId performer = 0;
  // Channels and performers only: only those of this country (ISO 3166-1
  // alpha-2, upper case); "" for every country.
  std::string country;
  // Records per page. REQUIRES: >= 1.
  std::size_t limit = 100;
  // The sort key of the last record of the previous page (keyset
  // pagination): its id (kById) or its name (kByName). Unset for the first
  // page. The page holds the records after it.
  std::optional<std::uint32_t> after_id;
  std::optional<std::string> after_name;
};

template <typename Record>
struct CataloguePage {
  std::vector<Record> items;
  bool more = false;  // whether records follow the last one
};

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
    // A merge patch over the stored attributes (ReadAttributesPatch checked
    // its keys and values); creating applies it over none.
    std::optional<AttributesPatch> attributes;
  };
  // InvalidArgument naming the field (also when the patched attributes would
  // break their limits); NotFound naming the id; AlreadyExists when another
  // channel has the new name.
  Result<storage::ChannelRecord> UpdateChannel(storage::ChannelId id, const ChannelChange& change);
  // NotFound names the song and its performer.
  Result<storage::SongRecord> FindSong(std::string_view performer, std::string_view title);

  // Records by id; NotFound naming the id when there is none.
  Result<storage::ChannelRecord> GetChannel(storage::ChannelId id);
  Result<storage::SongRecord> GetSong(storage::SongId id);
  Result<storage::PerformerRecord> GetPerformer(storage::PerformerId id);

  // --- Catalogue writes (catalogue_writes.cc) ---------------------------
  // Every write checks its fields (InvalidArgument naming each bad one),
  // keeps the in-memory caches and the charts' labels and counts in step
  // with the store, and answers NotFound naming a missing id.
  //
  // Creates with every field given, or returns the record of the natural
  // key (name; performer and title) unchanged with *created false.
  // REQUIRES: change.name (title, performer_id for songs) set.
  Result<storage::ChannelRecord> CreateChannel(const ChannelChange& change, bool* created);
  Result<storage::PerformerRecord> CreatePerformer(const PerformerChange& change, bool* created);
  Result<storage::SongRecord> CreateSong(const SongChange& change, bool* created);
  // Unset fields stay; renames keep ids and plays. AlreadyExists naming the
  // record that has the new natural key.
  Result<storage::PerformerRecord> UpdatePerformer(storage::PerformerId id,
                                                   const PerformerChange& change);
  Result<storage::SongRecord> UpdateSong(storage::SongId id, const SongChange& change);
  // Conflict while something refers to the record (Store::Delete*).
  Status DeleteChannel(storage::ChannelId id);
  Status DeletePerformer(storage::PerformerId id);
  Status DeleteSong(storage::SongId id);
  // Folds `from` into `into` (Store::MergeSongs / MergePerformers) and
  // moves the charts' counts with the plays; `from` is gone afterwards.
  // InvalidArgument ("into") when from == into.
  Status MergeSongs(storage::SongId from, storage::SongId into);
  Result<storage::PerformerMergeResult> MergePerformers(storage::PerformerId from,
                                                        storage::PerformerId into);

  // After another process changed the catalogue of a shared store
  // (Store::PollForeignCatalogueChanges): drops what this service caches of
  // the records involved, so that the next read takes them from the store.
  // The charts follow the change through charts::StoreFollower.
  void ForgetChanged(const storage::CatalogueChange& change);

  // Pages of the catalogue (catalogue_lists.cc). What a page costs:
  //   - by id without a prefix, and by name: the records on the page (one
  //     bounded seek of the store);
  //   - by id with a name prefix: every record whose name has the prefix
  //     (read through the name index, in name order, then ordered by id).
  // Records created while a list is paged through appear or not, but the
  // records that existed at its start are neither skipped nor repeated.
  // IOError when the store fails.
  Result<CataloguePage<storage::ChannelRecord>> ListChannels(const CatalogueListQuery& query);
  Result<CataloguePage<storage::PerformerRecord>> ListPerformers(const CatalogueListQuery& query);
  // Without query.performer, title order and title prefixes read the title
  // index of all songs (ties in title broken by id).
  Result<CataloguePage<storage::SongRecord>> ListSongs(const CatalogueListQuery& query);

  // The songs of `performer`, in id order. The store has no index from
  // performer to songs: this is the charts' in-memory one (filled at start
  // from every song record and by AddSong), which knows every song.
  std::vector<storage::SongId> SongsOf(storage::PerformerId performer) const {
    return charts_->SongsOf(performer);
  }

  // The ids of `names`, duplicates removed, in first-seen order. NotFound
  // naming every unknown channel when any is unknown.
  Result<std::vector<storage::ChannelId>> ResolveChannels(std::span<const std::string> names);
  // A number that changes whenever the names that ResolveChannels knows
  // without the store change (a channel added, renamed or deleted here, a
  // name first looked up, another node's change noticed). Read before
  // ResolveChannels: while it is unchanged, the same names resolve the same.
  std::uint64_t channel_names_generation() const { return channels_.generation(); }

 private:
  // The key of a song in songs_: its performer id, then its title.
  static std::string SongKey(storage::PerformerId performer, std::string_view title);
  // The song and its performer's name, checked to exist (NotFound naming
  // `field` and the id otherwise).
  Status CheckPerformerExists(storage::PerformerId id, const char* field);
  // A performer by name, from the cache or the store.
  Result<storage::PerformerRecord> LookupPerformer(std::string_view name);

  storage::Store* store_;
  charts::ChartService* charts_;
  // Channel updates hold it exclusively, channel cache fills shared: a fill
  // that read a channel before a rename cannot land in the cache after it.
  std::shared_mutex channel_update_mutex_;
  // The same for performers and songs: writes (renames, deletions, merges)
  // exclusively, cache fills shared.
  std::shared_mutex record_update_mutex_;
  NameCache<storage::ChannelRecord> channels_;
  NameCache<storage::PerformerRecord> performers_;
  NameCache<storage::SongRecord> songs_;
  IdCache<storage::ChannelRecord> channels_by_id_;
  IdCache<storage::PerformerRecord> performers_by_id_;
  IdCache<storage::SongRecord> songs_by_id_;
};

}  // namespace spinlog::domain
