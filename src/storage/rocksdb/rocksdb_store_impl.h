// RocksDbStore: the Store over an open RocksDB database (see rocksdb_store.h
// for the public entry point, db_options.h for the column families and
// docs/storage-format.md for the bytes).
//
// Concurrency: reads take no lock of ours. Writes that must check before they
// write hold a mutex across check and write: catalogue_mutex_ for upserts
// (so two threads upserting one name make one record). InsertPlays checks
// and builds its batch under plays_mutex_ but writes it after letting go, so
// that two committer threads overlap (one checks while the other writes);
// plays_in_flight_ keeps what it is writing visible to the checks after it,
// so each (channel, start) is still created once, and start_bounds_ lets it
// skip the check for plays after their channel's latest. What reads plays or
// changes what they point at (merges, deletions, bulk insert) holds a
// PlaysQuiet: plays_mutex_ with nothing in flight, and the bounds forgotten. Id counters live in
// memory as atomics, loaded at open and advanced after each successful write.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/rocksdb/channel_start_bounds.h"
#include "storage/rocksdb/db_options.h"
#include "storage/rocksdb/dir_lock.h"
#include "storage/rocksdb/key_codec.h"
#include "storage/rocksdb/plays_in_flight.h"
#include "storage/store.h"

namespace spinlog::storage::rocks {

// Under the data directory: SST files being written by BulkInsertPlays. A
// crash may leave some behind; opening the store empties it.
inline constexpr char kBulkDirectory[] = "bulk";

inline std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

// The outcome for `play` when `stored` already holds its (channel, start):
// the idempotency rule of Store::InsertPlays.
inline PlayInsertResult JudgeAgainst(const PlayRecord& play, const PlayRecord& stored) {
  const bool same = play.song_id == stored.song_id && play.end == stored.end;
  return {same ? PlayInsertOutcome::kDuplicate : PlayInsertOutcome::kConflict, stored};
}

// Visits one stored catalogue record (its id and value) and returns whether
// to go on; sets *malformed when the value cannot be decoded.
using RawRecordVisitor =
    std::function<bool(std::uint32_t id, std::string_view value, bool* malformed)>;

// A catalogue record with its index entries (name, country, title), put or
// deleted in `batch` together (rocksdb_catalogue_writes.cc). DeleteIndexes
// leaves the record key, which a following PutRecord overwrites.
rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const ChannelRecord& channel);
rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const PerformerRecord& performer);
rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const SongRecord& song);
rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const ChannelRecord& channel);
rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const PerformerRecord& performer);
rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const SongRecord& song);

// Puts a new record (with the id given) and its indexes into a batch.
using RecordWriter = std::function<rocksdb::Status(std::uint32_t id, rocksdb::WriteBatch* batch)>;

// The catalogue kinds, indexing RocksDbStore's counters.
enum class Kind : std::size_t { kChannel = 0, kPerformer = 1, kSong = 2 };

class RocksDbStore final : public Store {
 public:
  // Last ids handed out, per Kind.
  using Counters = std::array<std::uint32_t, 3>;

  // Takes ownership of `db`, its `families` (in Family order) and `lock`.
  RocksDbStore(std::string path, bool sync_writes, std::chrono::milliseconds settle_after_quiet,
               DirLock lock, rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> families,
               const Counters& counters);
  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  // Catalogue (rocksdb_catalogue.cc).
  Result<ChannelRecord> UpsertChannel(std::string_view name, bool* created) override;
  Result<PerformerRecord> UpsertPerformer(std::string_view name, bool* created) override;
  Result<SongRecord> UpsertSong(PerformerId performer, std::string_view title,
                                bool* created) override;
  Result<ChannelRecord> FindChannel(std::string_view name) override;
  Result<PerformerRecord> FindPerformer(std::string_view name) override;
  Result<SongRecord> FindSong(PerformerId performer, std::string_view title) override;
  Result<ChannelRecord> GetChannel(ChannelId id) override;
  Result<PerformerRecord> GetPerformer(PerformerId id) override;
  Result<SongRecord> GetSong(SongId id) override;
  Result<ChannelRecord> UpdateChannel(const ChannelRecord& channel) override;
  Result<ChannelRecord> CreateChannel(const ChannelRecord& channel, bool* created) override;
  Result<PerformerRecord> CreatePerformer(const PerformerRecord& performer,
                                          bool* created) override;
  Result<SongRecord> CreateSong(const SongRecord& song, bool* created) override;
  // Updates, deletions and merges (rocksdb_catalogue_writes.cc).
  Result<PerformerRecord> UpdatePerformer(const PerformerRecord& performer) override;
  Result<SongRecord> UpdateSong(const SongRecord& song) override;
  Status DeleteChannel(ChannelId id) override;
  Status DeletePerformer(PerformerId id) override;
  Status DeleteSong(SongId id) override;
  Status MergeSongs(SongId from, SongId into) override;
  Result<PerformerMergeResult> MergePerformers(PerformerId from, PerformerId into) override;
  Status ForEachChannel(const std::function<void(const ChannelRecord&)>& visit) override;
  Status ForEachPerformer(const std::function<void(const PerformerRecord&)>& visit) override;
  Status ForEachSong(const std::function<void(const SongRecord&)>& visit) override;
  // Bounded catalogue reads for lists (rocksdb_catalogue_pages.cc).
  Status SeekChannels(ChannelId after, const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformers(PerformerId after, const RecordVisitor<PerformerRecord>& visit) override;
  Status SeekSongs(SongId after, const RecordVisitor<SongRecord>& visit) override;
  Status SeekChannelsByName(const NameSeek& seek,
                            const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformersByName(const NameSeek& seek,
                              const RecordVisitor<PerformerRecord>& visit) override;
  Status SeekSongsByTitle(PerformerId performer, const NameSeek& seek,
                          const RecordVisitor<SongRecord>& visit) override;
  Status SeekSongsByTitleAll(const TitleSeek& seek,
                             const RecordVisitor<SongRecord>& visit) override;
  Status SeekChannelsByCountry(std::string_view country, const NameSeek& seek,
                               const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformersByCountry(std::string_view country, const NameSeek& seek,
                                 const RecordVisitor<PerformerRecord>& visit) override;

  // Channel groups (rocksdb_channel_groups.cc).
  Result<ChannelGroupRecord> CreateChannelGroup(std::string_view name,
                                                std::span<const ChannelId> channels) override;
  Result<ChannelGroupRecord> GetChannelGroup(ChannelGroupId id) override;
  Result<ChannelGroupRecord> FindChannelGroup(std::string_view name) override;
  Result<ChannelGroupRecord> UpdateChannelGroup(const ChannelGroupRecord& group) override;
  Status DeleteChannelGroup(ChannelGroupId id) override;
  Status ForEachChannelGroup(ChannelGroupId after,
                             const std::function<bool(const ChannelGroupRecord&)>& visit) override;

  // Plays (rocksdb_plays.cc).
  Result<std::vector<PlayInsertResult>> InsertPlays(std::span<const PlayRecord> plays) override;
  // Two: while one call writes its batch the next one checks its own (see
  // Concurrency above). RocksDB still writes one batch at a time; a third
  // caller measured no faster (docs/benchmarks.md).
  std::size_t ConcurrentPlayWrites() const override { return 2; }
  // Bulk path (rocksdb_bulk_insert.cc): sorted SST files ingested atomically.
  Result<std::vector<PlayInsertResult>> BulkInsertPlays(
      std::span<const PlayRecord> plays) override;
  Status ScanAllPlays(const PlayVisitor& visit) override;
  Status ScanDailyCounts(const DailyCountsVisitor& visit) override;
  // Ordered reads for lists of plays (rocksdb_play_pages.cc).
  Status SeekChannelPlays(ChannelId channel, const PlaySeek& seek,
                          const PlayVisitor& visit) override;
  Status SeekSongPlays(SongId song, const PlaySeek& seek, const PlayVisitor& visit) override;

  // Compacts the play families' level 0 whenever writes have paused, on a
  // thread of its own (rocksdb_settle.cc).
  void StartSettling() override;

  Status Flush() override;

  // Health and statistics (rocksdb_health.cc).
  Status CheckWritable() override;
  std::vector<StoreStatistic> Statistics() override;

 private:
  // plays_mutex_ held while no InsertPlays write is in flight, for what
  // must see every play written (a merge moving a song's plays) or must not
  // change what a play in flight points at (deleting its channel). It
  // forgets start_bounds_, since its holder may write plays itself. Calls of
  // InsertPlays that come meanwhile wait until it ends, so it cannot starve.
  class PlaysQuiet {
   public:
    explicit PlaysQuiet(RocksDbStore* store);
    ~PlaysQuiet();
    PlaysQuiet(const PlaysQuiet&) = delete;
    PlaysQuiet& operator=(const PlaysQuiet&) = delete;

   private:
    RocksDbStore* store_;
    std::unique_lock<std::mutex> lock_;
  };

  rocksdb::ColumnFamilyHandle* family(Family f) const {
    return families_[static_cast<std::size_t>(f)];
  }
  rocksdb::WriteOptions WriteOptions() const;

  // The id that `name_key` maps to; NotFound when absent.
  Result<std::uint32_t> LookupId(const std::string& name_key, std::string_view what);
  // The value at `key` in the catalogue family; NotFound "<what> does not exist".
  Result<std::string> GetCatalogueValue(const std::string& key, const std::string& what);
  // Returns the id of `name_key`, creating it (with the record that
  // `encode_record(id)` gives) when absent. Sets *created.
  Result<std::uint32_t> UpsertId(Kind kind, const std::string& name_key,
                                 const RecordWriter& write_record, std::string_view what,
                                 bool* created);
  // The same with catalogue_mutex_ held.
  Result<std::uint32_t> UpsertIdLocked(Kind kind, const std::string& name_key,
                                       const RecordWriter& write_record, std::string_view what,
                                       bool* created);
  // The performer that `id` is now: its merge target (followed through
  // later merges) when it was merged away, else `id`. REQUIRES:
  // catalogue_mutex_ held.
  PerformerId CurrentPerformerLocked(PerformerId id) const;
  // Puts into `batch` what moves every play of song `from` to song `into`:
  // plays and song_plays entries and daily count operands. REQUIRES:
  // plays_mutex_ held.
  Status MovePlaysOfSong(SongId from, SongId into, rocksdb::WriteBatch* batch);
  // Whether `family` has a key starting with `prefix`.
  Result<bool> HasKeyWithPrefix(Family f, const std::string& prefix);
  // Rewrites the song ids of plays of merged songs (to their target) into
  // *redirected, or returns InvalidArgument naming a deleted channel or
  // song. Returns `plays` itself when nothing needs a change.
  // REQUIRES: plays_mutex_ held.
  Result<std::span<const PlayRecord>> RedirectLocked(std::span<const PlayRecord> plays,
                                                     std::vector<PlayRecord>* redirected) const;
  // Visits the values of the records of `tag` in id order.
  Status ForEachRecord(CatalogueTag tag,
                       const std::function<bool(std::uint32_t id, std::string_view value)>& visit);
  // Visits the stored record values of `tag` with id > after, in id order,
  // until `visit` returns false; Corruption when `visit` sets *malformed.
  Status SeekRecords(CatalogueTag tag, std::uint32_t after, const RawRecordVisitor& visit);
  // Visits the name index entries in [lower, upper) of the catalogue family
  // in key order, with the value of the record of `record_tag` each points
  // at (both read from one snapshot), until `visit` returns false.
  Status SeekNameIndex(const std::string& lower, const std::string& upper,
                       CatalogueTag record_tag, const RawRecordVisitor& visit);
  // Options for SST files that BulkInsertPlays writes for family `f`.
  rocksdb::Options BulkFileOptions(Family f) const;
  // A new file name in kBulkDirectory for an SST of `family_name`.
  std::string NewBulkFilePath(const char* family_name);
  // Keys [lower, upper) of one family.
  struct KeyRange {
    std::string lower;
    std::string upper;
  };
  // Fills *play from a stored key and value; false when they are malformed.
  using PlayDecoder = bool (*)(std::string_view key, std::string_view value, PlayRecord* play);
  // Visits the plays of family `f` in `range` in `direction`, decoded by
  // `decode`, until `visit` returns false. Errors name "<kind> <id>".
  Status SeekPlays(Family f, const KeyRange& range, ScanDirection direction, PlayDecoder decode,
                   const PlayVisitor& visit, const char* kind, std::uint32_t id);
  // The start of the latest stored play of `channel`; the lowest start when
  // it has none.
  Result<UnixMicros> LatestPlayStart(ChannelId channel);
  // The bound of `channel` in start_bounds_, learnt from the store when
  // unknown. REQUIRES: plays_mutex_ held.
  Result<UnixMicros> StartBoundLocked(ChannelId channel);
  // Waits (releasing `lock` on plays_mutex_ meanwhile) until `writes` are
  // done; returns `results`, or an error when one of them failed.
  Result<std::vector<PlayInsertResult>> AfterWritesLanded(
      std::unique_lock<std::mutex>& lock, std::span<const std::shared_ptr<PlayWrite>> writes,
      std::vector<PlayInsertResult>& results);
  // InvalidArgument when a play breaks InsertPlays' REQUIRES.
  Status CheckPlays(std::span<const PlayRecord> plays) const;

  const std::string path_;
  const bool sync_writes_;
  // How long writes must pause before StartSettling's thread compacts.
  const std::chrono::milliseconds settle_after_quiet_;
  // Set by Flush when the store can no longer write: RocksDB (Debian's is
  // built with assertions) aborts if its failed write-ahead log is written
  // again, which closing the database would do.
  bool broken_ = false;
  DirLock lock_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  std::array<std::atomic<std::uint32_t>, 3> last_ids_;
  std::mutex catalogue_mutex_;
  std::mutex plays_mutex_;
  PlaysInFlight plays_in_flight_;  // guarded by plays_mutex_
  ChannelStartBounds start_bounds_;  // guarded by plays_mutex_
  int quiet_requests_ = 0;         // PlaysQuiet waiting or held; guarded by plays_mutex_
  // A write in flight ended, or a PlaysQuiet did.
  std::condition_variable plays_settled_;
  // StartSettling's loop: waits for writes to pause, then compacts.
  void SettleWhileQuiet(const std::stop_token& stop);
  // Runs StartSettling's compactions; the destructor stops and joins it.
  std::jthread settle_thread_;
  // Records deleted or merged away while this store is open, for the writes
  // that were resolved before (see Store::MergeSongs). Written holding both
  // mutexes, so either one guards reads.
  std::unordered_map<SongId, SongId> merged_songs_;                  // from -> into
  std::unordered_map<PerformerId, PerformerId> merged_performers_;  // from -> into
  std::unordered_set<SongId> deleted_songs_;
  std::unordered_set<ChannelId> deleted_channels_;
};

}  // namespace spinlog::storage::rocks
