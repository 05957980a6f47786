// The PostgreSQL backend: it runs the conformance suite, on a throwaway
// PostgreSQL 15 (tests/support/pg_test_server.h), plus what only a shared
// store has: versioned migrations, month partitions, several stores (nodes)
// over one database, and connections that break.
#include "storage/postgresql/postgresql_store.h"
#include "storage/postgresql/migrations.h"

#include <atomic>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support/pg_test_server.h"
#include "unit/storage/store_conformance.h"

namespace spinlog::storage {
namespace {

using spinlog::testing::PgScratchDatabase;
using spinlog::testing::RunSql;

class PostgresHarness : public StoreHarness {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    if (database_.url().empty()) {
      return Status::Unavailable("no scratch database: " + database_.error());
    }
    PostgresStoreOptions options;
    options.url = database_.url();
    options.pool_size = 8;
    return OpenPostgresStore(options);
  }
  std::string SkipReason() const override { return database_.skip_reason(); }

 private:
  PgScratchDatabase database_;
};

INSTANTIATE_TEST_SUITE_P(PostgreSql, StoreConformanceTest,
                         ::testing::Values(StoreBackend{
                             "PostgreSql", [] { return std::make_unique<PostgresHarness>(); }}),
                         StoreBackendName);

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!database_.skip_reason().empty()) GTEST_SKIP() << database_.skip_reason();
    ASSERT_FALSE(database_.url().empty()) << database_.error();
  }

  std::unique_ptr<Store> Open(bool migrate = true) {
    PostgresStoreOptions options;
    options.url = database_.url();
    options.pool_size = 4;
    options.migrate = migrate;
    Result<std::unique_ptr<Store>> opened = OpenPostgresStore(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // The first column of the first row of `sql`, as text ("" when none).
  std::string Query(const std::string& sql) {
    PGconn* connection = PQconnectdb(database_.url().c_str());
    std::string value;
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
      value = PQgetvalue(result, 0, 0);
    } else {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result);
    }
    PQclear(result);
    PQfinish(connection);
    return value;
  }

  PgScratchDatabase database_;
};

TEST_F(PostgresStoreTest, MigrateCreatesTheSchemaOnceAndRecordsItsVersion) {
  Result<MigrationReport> first = MigratePostgres(database_.url());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, LatestPostgresSchemaVersion());
  Result<MigrationReport> again = MigratePostgres(database_.url());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->from_version, LatestPostgresSchemaVersion());
  EXPECT_EQ(again->to_version, LatestPostgresSchemaVersion());
  EXPECT_EQ(Query("SELECT max(version) FROM schema_migrations"),
            std::to_string(LatestPostgresSchemaVersion()));
}

TEST_F(PostgresStoreTest, AnUnmigratedDatabaseIsRefusedWithoutMigrate) {
  PostgresStoreOptions options;
  options.url = database_.url();
  options.migrate = false;
  Result<std::unique_ptr<Store>> opened = OpenPostgresStore(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsInvalidArgument()) << opened.status().ToString();
  EXPECT_NE(opened.status().message().find("spinlog migrate"), std::string::npos);
  ASSERT_TRUE(MigratePostgres(database_.url()).ok());
  EXPECT_NE(Open(/*migrate=*/false), nullptr);
}

TEST_F(PostgresStoreTest, MigrationThreeUpgradesAVersionTwoDatabaseWithItsData) {
  // A database as a build of schema version 2 left it, with records, plays
  // (in the partition from the year 3000) and their daily counts.
  std::string sql =
      "CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, "
      "applied_at timestamptz NOT NULL DEFAULT now());";
  for (const pg::Migration& migration : pg::Migrations()) {
    if (migration.version > 2) break;
    sql += migration.sql;
    sql += "INSERT INTO schema_migrations (version, description) VALUES (" +
           std::to_string(migration.version) + ", 'test');";
  }
  ASSERT_EQ(RunSql(database_.url(), sql), "");
  const UnixMicros t = 32503680000000000 + kHour;
  ASSERT_EQ(RunSql(database_.url(),
                   "INSERT INTO channels (id, name, country, audience) VALUES (1, 'P1', 'SE', 7);"
                   "INSERT INTO performers (id, name) VALUES (1, 'ABBA'), (2, 'Abba');"
                   "INSERT INTO songs (id, performer_id, title) VALUES (1, 1, 'SOS'), (2, 2, 'SOS');"
                   "UPDATE id_counters SET last_id = 1 WHERE kind = 'channel';"
                   "UPDATE id_counters SET last_id = 2 WHERE kind IN ('performer', 'song');"
                   "INSERT INTO plays VALUES (1, " + std::to_string(t) + ", " +
                       std::to_string(t + kMinute) + ", 1), (1, " + std::to_string(t + kHour) +
                       ", " + std::to_string(t + kHour + kMinute) + ", 2);"
                   "INSERT INTO daily_counts VALUES (1, spinlog_day(" + std::to_string(t) +
                       "), 1, 1), (1, spinlog_day(" + std::to_string(t) + "), 2, 1);"),
            "");

  std::unique_ptr<Store> store = Open();  // migrates
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Query("SELECT max(version) FROM schema_migrations"),
            std::to_string(LatestPostgresSchemaVersion()));
  Result<ChannelRecord> channel = store->GetChannel(1);
  ASSERT_TRUE(channel.ok()) << channel.status().ToString();
  EXPECT_EQ(*channel, (ChannelRecord{1, "P1", "SE", 7, ""}));
  PerformerRecord abba = *store->GetPerformer(1);
  EXPECT_EQ(abba.name, "ABBA");
  EXPECT_EQ(abba.description, "");
  abba.description = std::string("Pop\0group", 9);  // any byte, NUL included
  abba.country = "SE";
  ASSERT_TRUE(store->UpdatePerformer(abba).ok());
  EXPECT_EQ(*store->GetPerformer(1), abba);
  channel->attributes = R"({"genre":"pop","n":1})";
  ASSERT_TRUE(store->UpdateChannel(*channel).ok());
  EXPECT_EQ(store->GetChannel(1)->attributes, R"({"genre":"pop","n":1})");

  // The old plays merge with their counts.
  Result<PerformerMergeResult> merged = store->MergePerformers(2, 1);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->merged, (std::vector<std::pair<SongId, SongId>>{{2, 1}}));
  std::map<SongId, std::int64_t> counts;
  ASSERT_TRUE(store
                  ->ScanDailyCounts([&](ChannelId, std::int64_t, std::span<const SongPlayCount> c) {
                    for (const SongPlayCount& count : c) counts[count.song] += count.plays;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(counts, (std::map<SongId, std::int64_t>{{1, 2}}));
  std::vector<PlayRecord> plays;
  ASSERT_TRUE(store
                  ->ScanSongPlays(1, t, t + 2 * kHour,
                                  [&](const PlayRecord& p) {
                                    plays.push_back(p);
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(plays.size(), 2u);
  // New records get ids after the old ones.
  bool created = false;
  EXPECT_EQ(store->UpsertSong(1, "Waterloo", &created)->id, 3u);
  EXPECT_TRUE(created);
}

TEST_F(PostgresStoreTest, ASchemaNewerThanTheBuildIsRefused) {
  ASSERT_NE(Open(), nullptr);
  const int newer = LatestPostgresSchemaVersion() + 1;
  ASSERT_EQ(RunSql(database_.url(),
                   "INSERT INTO schema_migrations (version, description) "
                   "VALUES (" +
                       std::to_string(newer) + ", 'from the future')"),
            "");
  PostgresStoreOptions options;
  options.url = database_.url();
  Result<std::unique_ptr<Store>> opened = OpenPostgresStore(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsInvalidArgument()) << opened.status().ToString();
  EXPECT_NE(opened.status().message().find("newer"), std::string::npos)
      << opened.status().ToString();
  EXPECT_FALSE(MigratePostgres(database_.url()).ok());
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  PostgresStoreOptions options;
  options.url = "postgresql://spinlog:secret@127.0.0.1:1/spinlog?connect_timeout=2";
  Result<std::unique_ptr<Store>> opened = OpenPostgresStore(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
  EXPECT_EQ(opened.status().message().find("secret"), std::string::npos)
      << "the password stays out of messages";
  EXPECT_EQ(RedactPostgresUrl(options.url),
            "postgresql://spinlog:***@127.0.0.1:1/spinlog?connect_timeout=2");
  EXPECT_EQ(RedactPostgresUrl("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_TRUE(IsPostgresUrl("postgres://h/db"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/spinlog"));
}

TEST_F(PostgresStoreTest, PlaysGoIntoMonthPartitionsMadeOnDemand) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const ChannelId channel = store->UpsertChannel("C", nullptr)->id;
  const PerformerId performer = store->UpsertPerformer("P", nullptr)->id;
  const SongId song = store->UpsertSong(performer, "S", nullptr)->id;
  // 2014-01-31T23:59:59Z, 2014-02-01T00:00:00Z, 1850 (before the monthly
  // range) and 3100 (after it).
  const std::vector<PlayRecord> plays = {
      {channel, kT0 + 30 * 86'400 * kMicrosPerSecond + 86'399 * kMicrosPerSecond,
       kT0 + 31 * 86'400 * kMicrosPerSecond, song},
      {channel, kT0 + 31 * 86'400 * kMicrosPerSecond, kT0 + 31 * 86'400 * kMicrosPerSecond + 1,
       song},
      {channel, -3'786'825'600 * kMicrosPerSecond, -3'786'825'600 * kMicrosPerSecond + 1, song},
      {channel, 35'659'353'600 * kMicrosPerSecond, 35'659'353'600 * kMicrosPerSecond + 1, song},
  };
  Result<std::vector<PlayInsertResult>> results = store->InsertPlays(plays);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(Query("SELECT count(*) FROM plays_2014_01"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM plays_2014_02"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM plays_before_1900"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM plays_from_3000"), "1");
  // A second store (another node) knows the partitions from the catalog.
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  const PlayRecord more{channel, kT0 + kHour, kT0 + 2 * kHour, song};
  ASSERT_TRUE(other->InsertPlays(std::vector<PlayRecord>{more}).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM plays_2014_01"), "2");
}

// Two stores over one database stand for two spinlog nodes: each sees the
// other's catalogue and plays at once, and the daily counts stay exact when
// both write the same plays at the same time.
TEST_F(PostgresStoreTest, TwoNodesShareOneDatabase) {
  std::unique_ptr<Store> a = Open();
  std::unique_ptr<Store> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  // Created on a, used on b: b reads the id counters again for the new ids.
  const ChannelId channel = a->UpsertChannel("C", nullptr)->id;
  const SongId song = a->UpsertSong(a->UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
  EXPECT_EQ(b->FindChannel("C")->id, channel);
  bool created = true;
  EXPECT_EQ(b->UpsertChannel("C", &created)->id, channel);
  EXPECT_FALSE(created);
  EXPECT_EQ(b->UpsertChannel("D", nullptr)->id, channel + 1);

  constexpr int kPlays = 400;
  std::vector<PlayRecord> plays;
  for (int i = 0; i < kPlays; ++i) {
    plays.push_back({channel, kT0 + i * 10 * kMinute, kT0 + i * 10 * kMinute + kMinute, song});
  }
  std::map<Store*, int> created_by;
  std::vector<std::thread> writers;
  std::mutex mutex;
  for (Store* node : {a.get(), b.get()}) {
    writers.emplace_back([&, node] {
      for (int from = 0; from < kPlays; from += 50) {
        Result<std::vector<PlayInsertResult>> results =
            node->InsertPlays(std::span<const PlayRecord>(plays).subspan(from, 50));
        ASSERT_TRUE(results.ok()) << results.status().ToString();
        std::lock_guard<std::mutex> guard(mutex);
        for (const PlayInsertResult& r : *results) {
          EXPECT_NE(r.outcome, PlayInsertOutcome::kConflict);
          if (r.outcome == PlayInsertOutcome::kCreated) ++created_by[node];
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(created_by[a.get()] + created_by[b.get()], kPlays);
  std::int64_t counted = 0;
  ASSERT_TRUE(b->ScanDailyCounts([&](ChannelId c, std::int64_t, std::span<const SongPlayCount> s) {
                 EXPECT_EQ(c, channel);
                 for (const SongPlayCount& count : s) counted += count.plays;
                 return true;
               }).ok());
  EXPECT_EQ(counted, kPlays);
  int seen = 0;
  ASSERT_TRUE(a->ScanSongPlays(song, kT0, kT0 + kPlays * 10 * kMinute, [&](const PlayRecord&) {
                 ++seen;
                 return true;
               }).ok());
  EXPECT_EQ(seen, kPlays);
}

// The catalogue feed: what one node learns of the catalogue writes of the
// others, for its caches and charts.
TEST_F(PostgresStoreTest, EachNodeTakesTheOthersCatalogueChangesOnceAndNotItsOwn) {
  std::unique_ptr<Store> a = Open();
  std::unique_ptr<Store> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  using Change = CatalogueChange;
  auto poll = [](Store& store) {
    std::vector<std::tuple<Change::Kind, Change::What, std::uint32_t, std::uint32_t>> changes;
    EXPECT_TRUE(store
                    .PollForeignCatalogueChanges([&](const Change& c) {
                      changes.emplace_back(c.kind, c.what, c.id, c.into);
                    })
                    .ok());
    return changes;
  };
  using Seen = decltype(poll(*a));
  const PerformerId p1 = a->UpsertPerformer("P1", nullptr)->id;
  const PerformerId p2 = a->UpsertPerformer("P2", nullptr)->id;
  const SongId one = a->UpsertSong(p1, "One", nullptr)->id;
  const SongId dup = a->UpsertSong(p2, "One", nullptr)->id;
  const SongId own = a->UpsertSong(p2, "Own", nullptr)->id;
  const SongId lonely = a->UpsertSong(p1, "Lonely", nullptr)->id;
  ChannelRecord channel = *a->UpsertChannel("C", nullptr);
  EXPECT_EQ(poll(*b), Seen{});  // creations: read on a miss, not followed
  channel.audience = 10;
  ASSERT_TRUE(a->UpdateChannel(channel).ok());
  ASSERT_TRUE(a->DeleteSong(lonely).ok());
  ASSERT_TRUE(a->MergePerformers(p2, p1).ok());
  EXPECT_EQ(poll(*a), Seen{});  // its own
  EXPECT_EQ(poll(*b), (Seen{{Change::Kind::kChannel, Change::What::kUpdated, channel.id, 0},
                            {Change::Kind::kSong, Change::What::kDeleted, lonely, 0},
                            {Change::Kind::kSong, Change::What::kMerged, dup, one},
                            {Change::Kind::kSong, Change::What::kUpdated, own, 0},
                            {Change::Kind::kPerformer, Change::What::kMerged, p2, p1}}));
  EXPECT_EQ(poll(*b), Seen{});  // once
  SongRecord renamed = *b->GetSong(own);
  renamed.title = "Mine";
  ASSERT_TRUE(b->UpdateSong(renamed).ok());
  EXPECT_EQ(poll(*a), (Seen{{Change::Kind::kSong, Change::What::kUpdated, own, 0}}));
}

// A merge on one node while another node writes plays of the merged song
// (resolved before the merge): every play ends on the target, exactly
// counted, whichever commits first.
TEST_F(PostgresStoreTest, AMergeRacingAnotherNodesInsertsLeavesNoPlayBehind) {
  std::unique_ptr<Store> a = Open();
  std::unique_ptr<Store> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const ChannelId channel = a->UpsertChannel("C", nullptr)->id;
  const PerformerId performer = a->UpsertPerformer("P", nullptr)->id;
  const SongId target = a->UpsertSong(performer, "Target", nullptr)->id;
  const SongId dup = a->UpsertSong(performer, "Dup", nullptr)->id;
  constexpr int kBatches = 40;
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; i < kBatches; ++i) {
      std::vector<PlayRecord> batch;
      for (int j = 0; j < 10; ++j) {
        const UnixMicros start = kT0 + (i * 10 + j) * 7 * kMinute;
        batch.push_back({channel, start, start + kMinute, dup});
      }
      Result<std::vector<PlayInsertResult>> results = b->InsertPlays(batch);
      ASSERT_TRUE(results.ok()) << results.status().ToString();
      for (const PlayInsertResult& r : *results) EXPECT_EQ(r.outcome, PlayInsertOutcome::kCreated);
      ++written;
    }
  });
  while (written.load() < kBatches / 4) std::this_thread::yield();
  ASSERT_TRUE(a->MergeSongs(dup, target).ok());
  writer.join();
  int on_target = 0;
  ASSERT_TRUE(a->ScanChannelPlays(channel, kT0, kT0 + kBatches * 70 * kMinute,
                                  [&](const PlayRecord& play) {
                                    EXPECT_EQ(play.song_id, target);
                                    ++on_target;
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(on_target, kBatches * 10);
  std::map<SongId, std::int64_t> counts;
  ASSERT_TRUE(a->ScanDailyCounts([&](ChannelId, std::int64_t, std::span<const SongPlayCount> c) {
                 for (const SongPlayCount& count : c) counts[count.song] += count.plays;
                 return true;
               }).ok());
  EXPECT_EQ(counts, (std::map<SongId, std::int64_t>{{target, kBatches * 10}}));
}

// The play feed: what one node learns of the plays other nodes created.
TEST_F(PostgresStoreTest, EachNodeTakesTheOthersPlaysOnceAndNotItsOwn) {
  std::unique_ptr<Store> a = Open();
  std::unique_ptr<Store> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(a->IsShared());
  const ChannelId channel = a->UpsertChannel("C", nullptr)->id;
  const SongId song = a->UpsertSong(a->UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
  auto poll = [](Store& store) {
    std::vector<PlayRecord> plays;
    EXPECT_TRUE(store
                    .PollForeignPlays([&](std::span<const PlayRecord> batch) {
                      plays.insert(plays.end(), batch.begin(), batch.end());
                    })
                    .ok());
    return plays;
  };
  const PlayRecord before{channel, kT0, kT0 + kMinute, song};
  ASSERT_TRUE(b->InsertPlays(std::vector<PlayRecord>{before}).ok());
  // a counts from its daily counts: `before` is in them, so not in the feed.
  std::int64_t counted = 0;
  ASSERT_TRUE(a->ScanDailyCounts([&](ChannelId, std::int64_t, std::span<const SongPlayCount> c) {
                 for (const SongPlayCount& count : c) counted += count.plays;
                 return true;
               }).ok());
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(poll(*a), std::vector<PlayRecord>{});

  const PlayRecord by_b{channel, kT0 + kHour, kT0 + kHour + kMinute, song};
  const PlayRecord by_a{channel, kT0 + 2 * kHour, kT0 + 2 * kHour + kMinute, song};
  const PlayRecord negative{channel, std::numeric_limits<UnixMicros>::min(),
                            std::numeric_limits<UnixMicros>::min() + 1, song};
  ASSERT_TRUE(b->InsertPlays(std::vector<PlayRecord>{by_b, negative, by_b}).ok());
  ASSERT_TRUE(a->InsertPlays(std::vector<PlayRecord>{by_a, by_b}).ok());  // by_b: a duplicate
  std::vector<PlayRecord> expected = {negative, by_b};                    // as stored: in key order
  EXPECT_EQ(poll(*a), expected);
  EXPECT_EQ(poll(*a), std::vector<PlayRecord>{});
  EXPECT_EQ(poll(*b), std::vector<PlayRecord>{by_a});
  EXPECT_EQ(poll(*b), std::vector<PlayRecord>{});
}

// Feed rows whose transactions commit out of order are each taken once:
// seq order is not commit order, visibility decides.
TEST_F(PostgresStoreTest, TheFeedTakesRowsThatCommitOutOfOrder) {
  std::unique_ptr<Store> a = Open();
  ASSERT_NE(a, nullptr);
  std::vector<ChannelId> seen;
  auto poll = [&] {
    seen.clear();
    EXPECT_TRUE(a->PollForeignPlays([&](std::span<const PlayRecord> batch) {
                   for (const PlayRecord& p : batch) seen.push_back(p.channel_id);
                 }).ok());
    return seen;
  };
  EXPECT_EQ(poll(), std::vector<ChannelId>{});
  auto exec = [](PGconn* connection, const char* sql) {
    PGresult* result = PQexec(connection, sql);
    EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << sql << PQresultErrorMessage(result);
    PQclear(result);
  };
  PGconn* slow = PQconnectdb(database_.url().c_str());
  PGconn* fast = PQconnectdb(database_.url().c_str());
  ASSERT_EQ(PQstatus(slow), CONNECTION_OK);
  ASSERT_EQ(PQstatus(fast), CONNECTION_OK);
  // `slow` takes the lower seq and transaction id, and commits last.
  exec(slow, "BEGIN");
  exec(slow,
       "INSERT INTO play_feed (node, channels, starts, ends, songs) "
       "VALUES (1, '{1}', '{0}', '{1}', '{1}')");
  exec(fast,
       "INSERT INTO play_feed (node, channels, starts, ends, songs) "
       "VALUES (1, '{2}', '{0}', '{1}', '{1}')");
  EXPECT_EQ(poll(), std::vector<ChannelId>{2});
  exec(slow, "COMMIT");
  EXPECT_EQ(poll(), std::vector<ChannelId>{1});
  EXPECT_EQ(poll(), std::vector<ChannelId>{});
  PQfinish(slow);
  PQfinish(fast);
}

TEST_F(PostgresStoreTest, AStoreReconnectsAfterItsConnectionsAreKilled) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->UpsertChannel("C", nullptr).ok());
  ASSERT_TRUE(store->CheckWritable().ok());
  // What a restart of PostgreSQL does to open connections.
  ASSERT_EQ(RunSql(database_.url(),
                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
            "");
  EXPECT_TRUE(store->CheckWritable().ok());
  Result<ChannelRecord> found = store->FindChannel("C");
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  bool has_statistics = false;
  for (const StoreStatistic& s : store->Statistics()) {
    if (s.name == "pool_connects_total") has_statistics = s.value >= 2;
  }
  EXPECT_TRUE(has_statistics);
}

}  // namespace
}  // namespace spinlog::storage
