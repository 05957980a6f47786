// The play feed of PostgresStore: how a node learns the plays that other
// nodes created, so that its in-memory charts count them (docs/architecture.md,
// "Many nodes over one PostgreSQL").
//
// Each poll reads, in a REPEATABLE READ transaction, the current snapshot
// and the play_feed rows whose transaction that snapshot sees but the
// previous poll's did not (pg_visible_in_snapshot). A transaction that
// commits after a later one, or a row whose seq is lower than one already
// read, is still taken exactly once: visibility, not seq order, decides.
#include <pqxx/transaction>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

// Rows older than this are deleted; a node that could not poll for longer
// misses plays in its charts (it should be restarted; docs/operations.md).
constexpr char kFeedRetention[] = "1 hour";
constexpr auto kPruneEvery = std::chrono::minutes(1);

// "{1,-2,3}" as PostgreSQL writes a bigint[].
std::vector<std::int64_t> ParseBigints(std::string_view text) {
  std::vector<std::int64_t> values;
  std::uint64_t magnitude = 0;
  bool negative = false;
  bool in_number = false;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      magnitude = magnitude * 10 + static_cast<std::uint64_t>(ch - '0');
      in_number = true;
    } else if (ch == '-') {
      negative = true;
    } else {
      if (in_number) {
        // Two's complement: exact for INT64_MIN, whose magnitude is 2^63.
        values.push_back(static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude));
      }
      magnitude = 0;
      negative = in_number = false;
    }
  }
  return values;
}

}  // namespace

Status PostgresStore::PollForeignPlays(
    const std::function<void(std::span<const PlayRecord>)>& visit) {
  std::lock_guard<std::mutex> guard(feed_mutex_);
  std::string now;
  std::vector<std::vector<PlayRecord>> batches;
  SPINLOG_RETURN_IF_ERROR(
      Run("read the play feed", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        batches.clear();
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
        now = tx.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>();
        const pqxx::result rows = tx.exec_params(
            "SELECT node, channels, starts, ends, songs FROM play_feed "
            "WHERE txid >= pg_snapshot_xmin($1::pg_snapshot) "
            "AND NOT pg_visible_in_snapshot(txid, $1::pg_snapshot) ORDER BY seq",
            feed_snapshot_);
        tx.commit();
        for (const pqxx::row& row : rows) {
          if (row[0].as<std::int64_t>() == node_id_) continue;
          const std::vector<std::int64_t> channels = ParseBigints(row[1].c_str());
          const std::vector<std::int64_t> starts = ParseBigints(row[2].c_str());
          const std::vector<std::int64_t> ends = ParseBigints(row[3].c_str());
          const std::vector<std::int64_t> songs = ParseBigints(row[4].c_str());
          if (starts.size() != channels.size() || ends.size() != channels.size() ||
              songs.size() != channels.size()) {
            return Status::Corruption("malformed play feed row in " + pool_->description());
          }
          std::vector<PlayRecord>& batch = batches.emplace_back();
          for (std::size_t i = 0; i < channels.size(); ++i) {
            batch.push_back(PlayRecord{static_cast<ChannelId>(channels[i]), starts[i], ends[i],
                                       static_cast<SongId>(songs[i])});
          }
        }
        return Status::OK();
      }));
  // Advanced before visiting: a visitor cannot fail, and what it was given
  // must not come again.
  feed_snapshot_ = std::move(now);
  feed_polled_ = true;
  for (const std::vector<PlayRecord>& batch : batches) {
    feed_plays_ += batch.size();
    visit(batch);
  }
  if (const auto t = std::chrono::steady_clock::now(); t - feed_pruned_ >= kPruneEvery) {
    feed_pruned_ = t;
    // Any node may prune; losing the race or failing is harmless.
    static_cast<void>(Run("prune the play feed", Retry::kNever, [&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      for (const char* feed : {"play_feed", "catalogue_feed"}) {
        tx.exec0(std::string("DELETE FROM ") + feed + " WHERE created_at < now() - interval '" +
                 kFeedRetention + "'");
      }
      return Status::OK();
    }));
  }
  return Status::OK();
}

Status PostgresStore::PollForeignCatalogueChanges(
    const std::function<void(const CatalogueChange&)>& visit) {
  std::lock_guard<std::mutex> guard(catalogue_feed_mutex_);
  std::string now;
  std::vector<CatalogueChange> changes;
  SPINLOG_RETURN_IF_ERROR(
      Run("read the catalogue feed", Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        changes.clear();
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
        now = tx.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>();
        // Rows of one transaction in the order it wrote them; transactions
        // in seq order (a merge's rows come in one transaction).
        const pqxx::result rows = tx.exec_params(
            "SELECT node, kind, change, id, into_id FROM catalogue_feed "
            "WHERE txid >= pg_snapshot_xmin($1::pg_snapshot) "
            "AND NOT pg_visible_in_snapshot(txid, $1::pg_snapshot) ORDER BY seq",
            catalogue_snapshot_);
        tx.commit();
        for (const pqxx::row& row : rows) {
          if (row[0].as<std::int64_t>() == node_id_) continue;
          CatalogueChange change;
          const std::string kind = row[1].as<std::string>();
          const std::string what = row[2].as<std::string>();
          if (kind == "channel") {
            change.kind = CatalogueChange::Kind::kChannel;
          } else if (kind == "performer") {
            change.kind = CatalogueChange::Kind::kPerformer;
          } else if (kind == "song") {
            change.kind = CatalogueChange::Kind::kSong;
          } else {
            return Status::Corruption("unknown kind '" + kind + "' in the catalogue feed of " +
                                      pool_->description());
          }
          if (what == "updated") {
            change.what = CatalogueChange::What::kUpdated;
          } else if (what == "deleted") {
            change.what = CatalogueChange::What::kDeleted;
          } else if (what == "merged") {
            change.what = CatalogueChange::What::kMerged;
          } else {
            return Status::Corruption("unknown change '" + what + "' in the catalogue feed of " +
                                      pool_->description());
          }
          change.id = row[3].as<std::uint32_t>();
          change.into = row[4].as<std::uint32_t>();
          changes.push_back(change);
        }
        return Status::OK();
      }));
  catalogue_snapshot_ = std::move(now);
  for (const CatalogueChange& change : changes) visit(change);
  return Status::OK();
}

}  // namespace spinlog::storage::pg
