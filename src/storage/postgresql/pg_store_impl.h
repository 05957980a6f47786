// PostgresStore: the Store over a PostgreSQL database (postgresql_store.h is
// the public entry point; migrations.cc holds the schema).
//
// Every call borrows one pooled connection for one statement, or for one
// short transaction where it must check before it writes. Scans read in
// pages (keyset pagination) and give the connection back before visiting a
// page, so a visitor may call the store again.
//
// Concurrency across threads and nodes is PostgreSQL's: unique keys decide
// which insert of a (channel, start) or a name wins; a row lock on the id
// counter serialises the creation of catalogue records of one kind, so ids
// stay dense (no id is burnt by a lost race or a failed insert).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/binarystring>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <set>
#include <string>
#include <vector>

#include "storage/postgresql/connection_pool.h"
#include "storage/store.h"

namespace spinlog::storage::pg {

// The catalogue kinds with an id counter (rows of id_counters).
enum class Kind : std::size_t { kChannel = 0, kPerformer = 1, kSong = 2, kChannelGroup = 3 };
const char* KindName(Kind kind);

// Whether a statement that failed may simply be run again: reads and the
// write probe may; a write whose outcome is unknown may not (its caller
// retries, and the idempotency rule answers).
enum class Retry { kNever, kOnBrokenConnection };

// A bytea parameter holding every byte of `bytes` (names may hold NUL).
pqxx::binarystring Bytes(std::string_view bytes);
// The bytes of a bytea field.
std::string BytesOf(const pqxx::field& field);
// "{1,2,3}": a bigint[] parameter.
template <typename Range>
std::string ArrayLiteral(const Range& values) {
  std::string text = "{";
  bool first = true;
  for (const auto& v : values) {
    if (!first) text.push_back(',');
    first = false;
    text.append(std::to_string(v));
  }
  text.push_back('}');
  return text;
}

// pg_advisory_xact_lock key of the play lock: play inserts hold it shared
// (in spinlog_insert_plays, migration 3); deletions and merges of channels
// and songs hold it exclusively, so no play of theirs is being written.
inline constexpr char kPlayLockExclusive[] = "SELECT pg_advisory_xact_lock(7310312799105136)";

// What a failed statement means (ClassifyFailure).
struct Failure {
  Status status;
  bool conflict = false;                 // a serialization failure or deadlock: run it again
  bool broken = false;                   // the connection is lost or unusable: drop it
  bool retry_on_new_connection = false;  // nothing was committed: may run again
};
// Classifies the exception being handled (call inside a catch block).
Failure ClassifyFailure(const std::string& what, const std::string& server);

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<ConnectionPool> pool);
  ~PostgresStore() override;

  // Reads what a store keeps in memory (id counters, known partitions).
  Status Load();

  // Catalogue (pg_catalogue.cc, pg_catalogue_pages.cc).
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
  Result<PerformerRecord> CreatePerformer(const PerformerRecord& performer, bool* created) override;
  Result<SongRecord> CreateSong(const SongRecord& song, bool* created) override;
  // pg_catalogue_writes.cc.
  Result<PerformerRecord> UpdatePerformer(const PerformerRecord& performer) override;
  Result<SongRecord> UpdateSong(const SongRecord& song) override;
  Status DeleteChannel(ChannelId id) override;
  Status DeletePerformer(PerformerId id) override;
  Status DeleteSong(SongId id) override;
  Status MergeSongs(SongId from, SongId into) override;
  Result<PerformerMergeResult> MergePerformers(PerformerId from, PerformerId into) override;
  Status SeekSongsByTitleAll(const TitleSeek& seek,
                             const RecordVisitor<SongRecord>& visit) override;
  Status SeekChannelsByCountry(std::string_view country, const NameSeek& seek,
                               const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformersByCountry(std::string_view country, const NameSeek& seek,
                                 const RecordVisitor<PerformerRecord>& visit) override;
  Status ForEachChannel(const std::function<void(const ChannelRecord&)>& visit) override;
  Status ForEachPerformer(const std::function<void(const PerformerRecord&)>& visit) override;
  Status ForEachSong(const std::function<void(const SongRecord&)>& visit) override;
  Status SeekChannels(ChannelId after, const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformers(PerformerId after, const RecordVisitor<PerformerRecord>& visit) override;
  Status SeekSongs(SongId after, const RecordVisitor<SongRecord>& visit) override;
  Status SeekChannelsByName(const NameSeek& seek,
                            const RecordVisitor<ChannelRecord>& visit) override;
  Status SeekPerformersByName(const NameSeek& seek,
                              const RecordVisitor<PerformerRecord>& visit) override;
  Status SeekSongsByTitle(PerformerId performer, const NameSeek& seek,
                          const RecordVisitor<SongRecord>& visit) override;

  // Channel groups (pg_channel_groups.cc).
  Result<ChannelGroupRecord> CreateChannelGroup(std::string_view name,
                                                std::span<const ChannelId> channels) override;
  Result<ChannelGroupRecord> GetChannelGroup(ChannelGroupId id) override;
  Result<ChannelGroupRecord> FindChannelGroup(std::string_view name) override;
  Result<ChannelGroupRecord> UpdateChannelGroup(const ChannelGroupRecord& group) override;
  Status DeleteChannelGroup(ChannelGroupId id) override;
  Status ForEachChannelGroup(ChannelGroupId after,
                             const std::function<bool(const ChannelGroupRecord&)>& visit) override;

  // Plays (pg_plays.cc, pg_play_pages.cc).
  Result<std::vector<PlayInsertResult>> InsertPlays(std::span<const PlayRecord> plays) override;
  Status ScanAllPlays(const PlayVisitor& visit) override;
  Status ScanDailyCounts(const DailyCountsVisitor& visit) override;
  Status SeekChannelPlays(ChannelId channel, const PlaySeek& seek,
                          const PlayVisitor& visit) override;
  Status SeekSongPlays(SongId song, const PlaySeek& seek, const PlayVisitor& visit) override;

  // Commits are durable when they return (PostgreSQL's synchronous_commit).
  Status Flush() override { return Status::OK(); }

  // Health and statistics (pg_health.cc).
  Status CheckWritable() override;
  std::vector<StoreStatistic> Statistics() override;

  // Runs `body` on a pooled connection, turning libpqxx's exceptions into a
  // Status named by `what` ("cannot <what>: ..."). Serialization failures
  // and deadlocks are retried (a few times); a broken connection is
  // retried once when `retry` allows.
  Status Run(const std::string& what, Retry retry,
             const std::function<Status(pqxx::connection&)>& body);
  // Runs `body` on a connection of its own, outside the pool (for a scan
  // that holds its connection while it visits, as visitors may call the
  // store). Errors as Run's; nothing is retried.
  Status RunDedicated(const std::string& what,
                      const std::function<Status(pqxx::connection&)>& body);

  // Each batch is one call of spinlog_insert_plays, which resolves plays of
  // one key across connections (and nodes) by the unique key: a second batch
  // in flight can keep PostgreSQL busy while the first one's commit waits
  // for its WAL flush. Each holds a connection.
  std::size_t ConcurrentPlayWrites() const override { return pool_->size(); }

  // Plays other nodes created (pg_feed.cc).
  bool IsShared() const override { return true; }
  Status PollForeignPlays(const std::function<void(std::span<const PlayRecord>)>& visit) override;
  Status PollForeignCatalogueChanges(
      const std::function<void(const CatalogueChange&)>& visit) override;

 private:
  // Creates the record named by `find` when absent: under the row lock on
  // the kind's counter, finds again, else inserts with the next id.
  // `find(tx)` returns the id or 0 (or an error, which ends the
  // transaction); `insert(tx, id)` writes the record.
  Result<std::uint32_t> UpsertId(Kind kind, const std::string& what,
                                 const std::function<Result<std::uint32_t>(pqxx::work&)>& find,
                                 const std::function<void(pqxx::work&, std::uint32_t)>& insert,
                                 bool* created);
  // Reads the id counters into last_ids_.
  Status LoadCounters();
  // InvalidArgument when a play breaks InsertPlays' REQUIRES (ids checked
  // against the counters, read again when a play names a newer id).
  Status CheckPlays(std::span<const PlayRecord> plays);
  // Makes sure a partition holds each month the plays start in.
  Status EnsurePartitions(std::span<const PlayRecord> plays);
  // Visits plays selected by a paged query; see pg_play_pages.cc.
  struct PlayPageQuery;
  Status SeekPlayPages(const PlayPageQuery& query, const PlayVisitor& visit);

  // Adds the row to catalogue_feed that tells the other nodes what a
  // catalogue write changed (`into`: for merges).
  void Announce(pqxx::work& tx, const char* kind, const char* change, std::uint32_t id,
                std::uint32_t into = 0);
  // How UpdateRow ended: the row was updated (and announced), no row has
  // the id, the new name is another row's, or a foreign key names nothing.
  enum class RowUpdate { kUpdated, kMissing, kNameTaken, kMissingReference };
  // Runs `update` (an UPDATE of the `kind` row `id`) in a transaction of its
  // own and announces it to the other nodes when it changed one row.
  Result<RowUpdate> UpdateRow(const char* kind, std::uint32_t id,
                              const std::function<pqxx::result(pqxx::work&)>& update);
  // Folds song `from` into `into` within `tx` (which holds the play lock):
  // plays, daily counts, merged_songs, the song record, the feed.
  void MergeSongIn(pqxx::work& tx, SongId from, SongId into);

  std::unique_ptr<ConnectionPool> pool_;
  std::array<std::atomic<std::uint32_t>, 4> last_ids_{};
  std::mutex partitions_mutex_;
  std::set<std::int64_t> partitions_;  // month numbers known to exist
  // This store's id in play_feed rows: random, so that nodes differ.
  const std::int64_t node_id_;
  // The snapshot (pg_snapshot as text) up to which plays were counted: by
  // the last ScanDailyCounts, then by each PollForeignPlays. Guarded by
  // feed_mutex_, which also keeps polls one at a time.
  std::mutex feed_mutex_;
  std::string feed_snapshot_;
  bool feed_polled_ = false;
  std::chrono::steady_clock::time_point feed_pruned_{};
  std::atomic<std::uint64_t> feed_plays_{0};
  // The same for the catalogue feed (from Load on), guarded by
  // catalogue_feed_mutex_.
  std::mutex catalogue_feed_mutex_;
  std::string catalogue_snapshot_;
  std::atomic<std::uint64_t> statement_retries_{0};
  std::atomic<std::uint64_t> statement_failures_{0};
};

}  // namespace spinlog::storage::pg
