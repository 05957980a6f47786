// Store: the storage interface that every backend implements (RocksDB now,
// PostgreSQL later). It offers what the domain needs and nothing
// backend-specific: catalogue upsert and lookup by name and by id, play
// insertion with its idempotency rule, and plays by channel and by song over a
// range of start times, in either direction and from any position. One
// conformance suite (tests/unit/storage/store_conformance*.cc) runs against
// every backend.
//
// Durability: a call that inserts returns only after its writes are durable
// (WAL synced), unless the store was opened with relaxed durability.
//
// Thread-safety: every method may be called concurrently from any thread.
// Upserts of the same name from two threads yield one record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "storage/records.h"

namespace spinlog::storage {

// Return false from a visitor to stop a scan early.
using PlayVisitor = std::function<bool(const PlayRecord&)>;
using DailyCountsVisitor = std::function<bool(ChannelId channel, std::int64_t day,
                                              std::span<const SongPlayCount> counts)>;

// Where a play stands in lists of plays: ordered by start, then channel id.
// Unique, since a play is identified by (channel, start), so that a list can
// resume after the last play it showed (keyset pagination).
struct PlayPosition {
  UnixMicros start = 0;
  ChannelId channel_id = 0;
  auto operator<=>(const PlayPosition&) const = default;
};

inline PlayPosition PositionOf(const PlayRecord& play) { return {play.start, play.channel_id}; }

// Which names a catalogue seek by name visits (SeekChannelsByName and the
// like): bytewise order of the stored (NFC) names.
struct NameSeek {
  // Only names that start with these bytes; "" for every name.
  std::string_view prefix;
  // When set, only names bytewise greater than it (it need not be stored).
  std::optional<std::string_view> after;
};

// Which songs SeekSongsByTitleAll visits: all songs in bytewise order of
// (title, id), whatever their performer (titles are not unique across
// performers, so the id breaks ties).
struct TitleSeek {
  // Only titles that start with these bytes; "" for every title.
  std::string_view prefix;
  // When set, only songs after (title, id) in that order (need not be stored).
  std::optional<std::pair<std::string_view, std::uint32_t>> after;
};

template <typename Record>
using RecordVisitor = std::function<bool(const Record&)>;

enum class ScanDirection {
  kForward,   // ascending (start, channel id)
  kBackward,  // descending (start, channel id)
};

// Which plays SeekChannelPlays and SeekSongPlays visit, and in which order.
struct PlaySeek {
  // Only plays with from <= start < to.
  UnixMicros from = 0;
  UnixMicros to = 0;
  ScanDirection direction = ScanDirection::kForward;
  // When set, only the plays that come after it in `direction`: forward,
  // positions greater than `after`; backward, positions less. `after` need
  // not be a stored play.
  std::optional<PlayPosition> after;
};

// One figure a backend keeps about itself, for metrics.
struct StoreStatistic {
  // snake_case, ending in its unit where it has one: "live_data_bytes".
  // Stable for a backend.
  std::string name;
  // One line saying what it counts.
  std::string help;
  // Counters only grow (since the store was opened); gauges go up and down.
  bool is_counter = false;
  std::uint64_t value = 0;
};

// A catalogue write of another process (Store::PollForeignCatalogueChanges):
// record `id` of `kind` was updated (renamed, changed, or for a song moved
// to another performer), deleted, or merged into record `into` (the plays of
// a merged song are `into`'s now).
struct CatalogueChange {
  enum class Kind { kChannel, kPerformer, kSong };
  enum class What { kUpdated, kDeleted, kMerged };
  Kind kind = Kind::kChannel;
  What what = What::kUpdated;
  std::uint32_t id = 0;
  std::uint32_t into = 0;  // kMerged only
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Catalogue -----------------------------------------------------------
  // Upserts return the existing record for the name, or create one (with the
  // name only) with a new id. *created (may be null) tells which. Returns IOError when the store fails.
  virtual Result<ChannelRecord> UpsertChannel(std::string_view name, bool* created) = 0;
  virtual Result<PerformerRecord> UpsertPerformer(std::string_view name, bool* created) = 0;
  // REQUIRES: `performer` exists. Returns NotFound otherwise.
  virtual Result<SongRecord> UpsertSong(PerformerId performer, std::string_view title,
                                        bool* created) = 0;

  // Lookups return NotFound when there is no such record.
  virtual Result<ChannelRecord> FindChannel(std::string_view name) = 0;
  virtual Result<PerformerRecord> FindPerformer(std::string_view name) = 0;
  virtual Result<SongRecord> FindSong(PerformerId performer, std::string_view title) = 0;
  virtual Result<ChannelRecord> GetChannel(ChannelId id) = 0;
  virtual Result<PerformerRecord> GetPerformer(PerformerId id) = 0;
  virtual Result<SongRecord> GetSong(SongId id) = 0;

  // Replaces the name, country and audience of channel `channel.id` (a
  // rename keeps the id and every play). NotFound; AlreadyExists when
  // another channel has the new name.
  virtual Result<ChannelRecord> UpdateChannel(const ChannelRecord& channel) = 0;

  // --- Catalogue writes with every field (storage format 3) -----------------
  // Each Create returns the record of the natural key (channel name,
  // performer name, (performer, title)) if one exists, unchanged, with
  // *created false; otherwise creates it with all the fields given (the id
  // in the argument is ignored). Upsert* are Create with a name only.
  virtual Result<ChannelRecord> CreateChannel(const ChannelRecord& channel, bool* created) = 0;
  virtual Result<PerformerRecord> CreatePerformer(const PerformerRecord& performer,
                                                  bool* created) = 0;
  // NotFound when song.performer_id does not exist.
  virtual Result<SongRecord> CreateSong(const SongRecord& song, bool* created) = 0;

  // Replace every field of record `x.id` (a rename keeps the id and every
  // play). NotFound when there is no such record (or, for songs, no such
  // performer); AlreadyExists, naming the other record's id, when another
  // record has the new natural key. A song may move to another performer.
  virtual Result<PerformerRecord> UpdatePerformer(const PerformerRecord& performer) = 0;
  virtual Result<SongRecord> UpdateSong(const SongRecord& song) = 0;

  // Deletions, allowed only when nothing refers to the record: Conflict
  // naming what does (a channel's plays or a group holding it, a
  // performer's songs, a song's plays); NotFound when there is no such
  // record. Ids are never handed out again. A play that names a deleted
  // channel or song and reaches InsertPlays afterwards (it was resolved
  // before the deletion) fails its batch with InvalidArgument, like any
  // unknown id.
  virtual Status DeleteChannel(ChannelId id) = 0;
  virtual Status DeletePerformer(PerformerId id) = 0;
  virtual Status DeleteSong(SongId id) = 0;

  // Folds song `from` into song `into` in one atomic write: every play of
  // `from` becomes a play of `into` (plays are keyed by (channel, start),
  // which does not change, so no two plays collide), the daily counts move
  // with them, and `from` is deleted (its (performer, title) becomes free).
  // Plays of `from` that reach InsertPlays later (resolved before the merge)
  // are stored as plays of `into`, for as long as the store stays open.
  // NotFound for either id; InvalidArgument when from == into.
  virtual Status MergeSongs(SongId from, SongId into) = 0;
  // Folds performer `from` into `into` in one atomic write: each song of
  // `from` moves to `into`, except that a song whose title `into` already
  // has is merged into that song (MergeSongs); then `from` is deleted.
  // Songs created for `from` afterwards (resolved before the merge) are
  // created for `into`. NotFound for either id; InvalidArgument when
  // from == into.
  virtual Result<PerformerMergeResult> MergePerformers(PerformerId from, PerformerId into) = 0;

  // Visits every record in id order. Used to warm in-memory indexes at start.
  virtual Status ForEachChannel(const std::function<void(const ChannelRecord&)>& visit) = 0;
  virtual Status ForEachPerformer(const std::function<void(const PerformerRecord&)>& visit) = 0;
  virtual Status ForEachSong(const std::function<void(const SongRecord&)>& visit) = 0;

  // Bounded reads for lists of the catalogue. Each visits records in its
  // order until `visit` returns false, and reading stops there: a visitor
  // that stops after n records costs about n reads, however large the
  // catalogue. Records created while a seek runs may or may not be visited.
  //
  // In id order, the records with id > after.
  virtual Status SeekChannels(ChannelId after, const RecordVisitor<ChannelRecord>& visit) = 0;
  virtual Status SeekPerformers(PerformerId after, const RecordVisitor<PerformerRecord>& visit) = 0;
  virtual Status SeekSongs(SongId after, const RecordVisitor<SongRecord>& visit) = 0;
  // In bytewise order of names (names are unique, so no ties), the records
  // that `seek` selects.
  virtual Status SeekChannelsByName(const NameSeek& seek,
                                    const RecordVisitor<ChannelRecord>& visit) = 0;
  virtual Status SeekPerformersByName(const NameSeek& seek,
                                      const RecordVisitor<PerformerRecord>& visit) = 0;
  // The songs of `performer` in bytewise order of titles (unique per
  // performer). Titles are indexed per performer only: there is no order of
  // all songs by title.
  virtual Status SeekSongsByTitle(PerformerId performer, const NameSeek& seek,
                                  const RecordVisitor<SongRecord>& visit) = 0;
  // Every song in order of (title, id), whatever the performer, that `seek`
  // selects (the title index of storage format 3).
  virtual Status SeekSongsByTitleAll(const TitleSeek& seek,
                                     const RecordVisitor<SongRecord>& visit) = 0;
  // The records whose country is `country` (ISO 3166-1 alpha-2, upper
  // case), in bytewise order of names, that `seek` selects.
  virtual Status SeekChannelsByCountry(std::string_view country, const NameSeek& seek,
                                       const RecordVisitor<ChannelRecord>& visit) = 0;
  virtual Status SeekPerformersByCountry(std::string_view country, const NameSeek& seek,
                                         const RecordVisitor<PerformerRecord>& visit) = 0;

  // --- Channel groups ------------------------------------------------------
  // Creates a group; `channels` are stored sorted and without repeats.
  // AlreadyExists when another group has the name. The caller checks that
  // the channels exist.
  virtual Result<ChannelGroupRecord> CreateChannelGroup(std::string_view name,
                                                        std::span<const ChannelId> channels) = 0;
  // NotFound when there is no such group.
  virtual Result<ChannelGroupRecord> GetChannelGroup(ChannelGroupId id) = 0;
  virtual Result<ChannelGroupRecord> FindChannelGroup(std::string_view name) = 0;
  // Replaces the name and channels of group `group.id` (channels sorted and
  // deduplicated as by Create). NotFound; AlreadyExists when another group
  // has the new name.
  virtual Result<ChannelGroupRecord> UpdateChannelGroup(const ChannelGroupRecord& group) = 0;
  // NotFound when there is no such group.
  virtual Status DeleteChannelGroup(ChannelGroupId id) = 0;
  // Visits the groups with id > after in id order until `visit` returns false.
  virtual Status ForEachChannelGroup(
      ChannelGroupId after, const std::function<bool(const ChannelGroupRecord&)>& visit) = 0;

  // --- Plays ---------------------------------------------------------------
  // Inserts `plays` as one atomic, durable write and returns one result per
  // play, in order. A play whose (channel_id, start) is already stored, or
  // appears earlier in `plays`, is kDuplicate when its song and end are equal,
  // kConflict otherwise; nothing changes for it.
  // REQUIRES: each play's channel and song exist, start < end.
  virtual Result<std::vector<PlayInsertResult>> InsertPlays(std::span<const PlayRecord> plays) = 0;
  // How many InsertPlays calls may usefully run at once. Above 1, the store
  // promises that concurrent calls stay exact: of concurrent plays with one
  // (channel_id, start), one is created and the others are judged against
  // it. Default: 1 (one writer; concurrent calls would only wait).
  virtual std::size_t ConcurrentPlayWrites() const { return 1; }

  // InsertPlays for large batches (tens of thousands of plays and more, as
  // an import sends): the same results, atomicity and durability, written
  // around the backend's per-write path where it has a faster one. Meant for
  // one bulk writer at a time; concurrent writers stay correct but may wait.
  // The default is InsertPlays.
  virtual Result<std::vector<PlayInsertResult>> BulkInsertPlays(
      std::span<const PlayRecord> plays) {
    return InsertPlays(plays);
  }

  // Visits the plays of `channel` that `seek` selects (none when seek.from >=
  // seek.to), in its direction, until `visit` returns false. Reading stops
  // there: a visitor that stops after n plays costs n reads, however many
  // plays the range holds.
  virtual Status SeekChannelPlays(ChannelId channel, const PlaySeek& seek,
                                  const PlayVisitor& visit) = 0;
  // The same over the plays of `song` (all channels), ordered by start, then
  // channel id.
  virtual Status SeekSongPlays(SongId song, const PlaySeek& seek, const PlayVisitor& visit) = 0;

  // Visits the plays of `channel` with from <= start < to, in start order
  // (SeekChannelPlays forward from the start of the range).
  Status ScanChannelPlays(ChannelId channel, UnixMicros from, UnixMicros to,
                          const PlayVisitor& visit) {
    return SeekChannelPlays(channel, PlaySeek{from, to, ScanDirection::kForward, std::nullopt},
                            visit);
  }
  // Visits the plays of `song` with from <= start < to, ordered by start then
  // channel id.
  Status ScanSongPlays(SongId song, UnixMicros from, UnixMicros to, const PlayVisitor& visit) {
    return SeekSongPlays(song, PlaySeek{from, to, ScanDirection::kForward, std::nullopt}, visit);
  }
  // Visits every play, in no particular order. Used to rebuild indexes.
  virtual Status ScanAllPlays(const PlayVisitor& visit) = 0;

  // Visits, for every (channel, day) with plays, the plays per song that
  // start on that UTC day (days since 1970-01-01), songs in id order, no
  // zero counts; (channel, day) in order. Kept in the same atomic write as
  // the plays, so that charts start from these counts without reading every
  // play.
  virtual Status ScanDailyCounts(const DailyCountsVisitor& visit) = 0;

  // --- Writes of other processes ------------------------------------------
  // Whether other processes (other spinlog nodes) write this store at the
  // same time: a shared backend. Default: false (an embedded store has one
  // writer, this process).
  virtual bool IsShared() const { return false; }
  // For a shared store: visits, in batches, the plays that other processes
  // created since the previous call, or before the first call, since the
  // last ScanDailyCounts (else since the store was opened), so that the
  // daily counts plus every poll count each play once. Plays this store
  // created are not visited (their caller knows them). Polls may be called
  // from one thread at a time. Default: visits nothing.
  virtual Status PollForeignPlays(
      const std::function<void(std::span<const PlayRecord>)>& /*visit*/) {
    return Status::OK();
  }

  // For a shared store: visits, in commit order as far as it matters, the
  // catalogue updates, deletions and merges that other processes made since
  // the previous call (before the first call: since the store was opened),
  // so that in-memory copies of the catalogue and charts follow them. A
  // change may come again after a restart of the follower; applying one
  // twice must be harmless. Default: visits nothing.
  virtual Status PollForeignCatalogueChanges(
      const std::function<void(const CatalogueChange&)>& /*visit*/) {
    return Status::OK();
  }

  // Starts, in the background, the upkeep that writes leave for later (a
  // bulk import's files, flushed writes waiting to be compacted), done
  // whenever writes pause so that the next writes do not pay for it and
  // reads consult fewer files; returns at once. Calling it again does
  // nothing. The store stops that work when it is destroyed. Default: none.
  virtual void StartSettling() {}

  // Makes every write so far durable (used at shutdown with relaxed durability).
  // Returns IOError when the store cannot write any more (a write failed
  // earlier: disk full or failing); then every write that was answered as
  // stored is already durable, and closing the store must not try to write.
  virtual Status Flush() = 0;

  // --- Health and statistics -----------------------------------------------
  // Whether the store accepts writes now, found by writing: a small probe
  // record, written the way plays are (same durability), outside every
  // record range. OK when it was written, and also when the backend is only
  // slowing writes down (it accepts them, later); otherwise the error that
  // any write would meet now (IOError, e.g. after the disk refused a write;
  // the backend may refuse every write from then on).
  virtual Status CheckWritable() = 0;

  // A few figures about the backend (sizes, work pending), cheap to read:
  // for metrics, not for decisions. Default: none.
  virtual std::vector<StoreStatistic> Statistics() { return {}; }
};

}  // namespace spinlog::storage
