// The RocksDB backend: it runs the conformance suite, plus what only an
// embedded store has (a data directory, its lock, relaxed durability).
#include "storage/rocksdb/rocksdb_store.h"

#include <rocksdb/db.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/db_options.h"
#include "storage/rocksdb/key_codec.h"
#include "storage/rocksdb/record_codec.h"
#include "unit/storage/store_conformance.h"
#include "support/temp_dir.h"

namespace spinlog::storage {
namespace {

using spinlog::testing::TempDir;

class RocksDbHarness : public StoreHarness {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    if (dir_.path().empty()) return Status::IOError("mkdtemp failed");
    RocksDbStoreOptions options;
    options.path = dir_.path() + "/data";
    options.block_cache_bytes = 8 << 20;
    return OpenRocksDbStore(options);
  }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(RocksDb, StoreConformanceTest,
                         ::testing::Values(StoreBackend{
                             "RocksDb", [] { return std::make_unique<RocksDbHarness>(); }}),
                         StoreBackendName);

class RocksDbStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  RocksDbStoreOptions Options(const std::string& leaf = "data") const {
    RocksDbStoreOptions options;
    options.path = dir_.path() + "/" + leaf;
    return options;
  }

  TempDir dir_;
};

TEST_F(RocksDbStoreTest, CreatesMissingParentDirectories) {
  Result<std::unique_ptr<Store>> store = OpenRocksDbStore(Options("a/b/c"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->UpsertChannel("C", nullptr).ok());
}

// RocksDB's own log goes to spinlog's (rocksdb_logger.h): no text log file
// that could fail on a full disk and take the process down with it.
TEST_F(RocksDbStoreTest, WritesNoRocksDbLogFile) {
  {
    Result<std::unique_ptr<Store>> store = OpenRocksDbStore(Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->UpsertChannel("C", nullptr).ok());
    ASSERT_TRUE((*store)->Flush().ok());
  }
  for (const char* name : {"LOG", "LOG.old"}) {
    EXPECT_NE(::access((Options().path + "/" + name).c_str(), F_OK), 0) << name;
  }
}

TEST_F(RocksDbStoreTest, SecondOpenOfTheSameDirectoryIsUnavailable) {
  Result<std::unique_ptr<Store>> first = OpenRocksDbStore(Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<std::unique_ptr<Store>> second = OpenRocksDbStore(Options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(),
            "data directory " + Options().path + " is in use by another spinlog process");

  first = Status::Unavailable("closed");  // destroys the first store
  Result<std::unique_ptr<Store>> third = OpenRocksDbStore(Options());
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST_F(RocksDbStoreTest, OpenWhileAnotherProcessHoldsTheDirectoryIsUnavailable) {
  Result<std::unique_ptr<Store>> held = OpenRocksDbStore(Options());
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child fails on the directory lock before it touches RocksDB, so
    // the RocksDB threads that fork() did not copy are never needed.
    ::close(report[0]);
    Result<std::unique_ptr<Store>> other = OpenRocksDbStore(Options());
    const std::string line = other.ok() ? std::string("opened") : other.status().ToString();
    const ssize_t written = ::write(report[1], line.data(), line.size());
    ::_exit(written == static_cast<ssize_t>(line.size()) ? 0 : 1);
  }
  ::close(report[1]);
  std::string line;
  char buffer[256];
  for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) > 0;) line.append(buffer, n);
  ::close(report[0]);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  EXPECT_EQ(line, "Unavailable: data directory " + Options().path +
                      " is in use by another spinlog process");
}

TEST_F(RocksDbStoreTest, DatabaseLockedByAnotherToolIsUnavailable) {
  // Another RocksDB user (ldb, say) holds the fcntl lock on RocksDB's LOCK
  // file but not our spinlog.lock: RocksDB's refusal must read the same.
  ASSERT_TRUE(OpenRocksDbStore(Options()).ok());  // creates the database
  int locked[2];
  int release[2];
  ASSERT_EQ(::pipe(locked), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(30);  // never outlive a parent that failed before releasing us
    // Close the ends the parent uses, or our read below never sees EOF.
    ::close(locked[0]);
    ::close(release[1]);
    const int fd = ::open((Options().path + "/LOCK").c_str(), O_RDWR);
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const bool ok = fd >= 0 && ::fcntl(fd, F_SETLK, &lock) == 0;
    const char byte = ok ? 'L' : 'E';
    char ignored;
    const bool told = ::write(locked[1], &byte, 1) == 1;
    const bool released = ::read(release[0], &ignored, 1) >= 0;  // EOF when the parent closes
    ::_exit(ok && told && released ? 0 : 1);
  }
  ::close(locked[1]);
  ::close(release[0]);
  char byte = 0;
  ASSERT_EQ(::read(locked[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'L');
  Result<std::unique_ptr<Store>> store = OpenRocksDbStore(Options());
  ::close(release[1]);
  ::close(locked[0]);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().ToString(), "Unavailable: data directory " + Options().path +
                                           " is in use by another spinlog process");
  // The failed open released spinlog.lock: the directory opens once the
  // other tool is gone.
  EXPECT_TRUE(OpenRocksDbStore(Options()).ok());
}

TEST_F(RocksDbStoreTest, UncreatableDirectoryIsAnIOError) {
  const std::string file = dir_.path() + "/file";
  std::ofstream(file) << "not a directory";
  Result<std::unique_ptr<Store>> store = OpenRocksDbStore(Options("file/data"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError);
  EXPECT_EQ(store.status().message().rfind("cannot create data directory " + file + "/data: ", 0),
            0u)
      << store.status().message();

  Result<std::unique_ptr<Store>> on_file = OpenRocksDbStore(Options("file"));
  ASSERT_FALSE(on_file.ok());
  EXPECT_EQ(on_file.status().code(), StatusCode::kIOError) << on_file.status().ToString();
}

TEST_F(RocksDbStoreTest, EmptyPathIsInvalid) {
  EXPECT_TRUE(OpenRocksDbStore(RocksDbStoreOptions{}).status().IsInvalidArgument());
}

TEST_F(RocksDbStoreTest, RelaxedDurabilityKeepsWritesAcrossReopen) {
  RocksDbStoreOptions options = Options();
  options.sync_writes = false;
  PlayRecord play;
  {
    Result<std::unique_ptr<Store>> store = OpenRocksDbStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store& s = **store;
    const ChannelId channel = s.UpsertChannel("C", nullptr)->id;
    const SongId song = s.UpsertSong(s.UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
    play = {channel, 10, 20, song};
    ASSERT_TRUE(s.InsertPlays(std::vector<PlayRecord>{play}).ok());
    EXPECT_TRUE(s.Flush().ok());
  }
  Result<std::unique_ptr<Store>> store = OpenRocksDbStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::vector<PlayInsertResult>> again =
      (*store)->InsertPlays(std::vector<PlayRecord>{play});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].outcome, PlayInsertOutcome::kDuplicate);
}

std::uint64_t Level0Files(Store& store) {
  for (const StoreStatistic& s : store.Statistics()) {
    if (s.name == "level0_files") return s.value;
  }
  return ~std::uint64_t{0};
}

// Two bulk batches of time-ordered plays over two channels, as an import
// writes them: their key ranges overlap, so the second lands in level 0.
// Returns the number of plays.
int ImportTwoOverlappingBatches(Store& s) {
  const ChannelId a = s.UpsertChannel("A", nullptr)->id;
  const ChannelId b = s.UpsertChannel("B", nullptr)->id;
  const SongId song = s.UpsertSong(s.UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
  int plays = 0;
  for (int batch = 0; batch < 2; ++batch) {
    std::vector<PlayRecord> records;
    for (int i = batch * 100; i < (batch + 1) * 100; ++i) {
      for (ChannelId channel : {a, b}) records.push_back({channel, i * 10, i * 10 + 5, song});
    }
    EXPECT_TRUE(s.BulkInsertPlays(records).ok());
    plays += static_cast<int>(records.size());
  }
  return plays;
}

int CountPlays(Store& s) {
  int stored = 0;
  EXPECT_TRUE(s.ScanAllPlays([&](const PlayRecord&) { return ++stored > 0; }).ok());
  return stored;
}

// Level 0 files per column family of a closed store, read without changing
// it (a read-only open neither flushes nor compacts).
std::map<std::string, std::uint64_t> Level0FilesByFamily(const RocksDbStoreOptions& options) {
  rocks::DbLayout layout = rocks::MakeDbLayout(options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  std::map<std::string, std::uint64_t> files;
  const rocksdb::Status opened =
      rocksdb::DB::OpenForReadOnly(layout.db, options.path, layout.families, &handles, &db);
  EXPECT_TRUE(opened.ok()) << opened.ToString();
  if (!opened.ok()) return files;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    std::string value;
    EXPECT_TRUE(db->GetProperty(handle, "rocksdb.num-files-at-level0", &value));
    files[handle->GetName()] = std::stoull(value);
    EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  delete db;
  return files;
}

// Waits (at most `limit`) until the store holds at most `files` level 0
// files; returns how many it holds then.
std::uint64_t WaitForLevel0Files(Store& store, std::uint64_t files,
                                 std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (Level0Files(store) > files && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Level0Files(store);
}

TEST_F(RocksDbStoreTest, SettlingCompactsWhatAnImportLeftInLevelZero) {
  int plays = 0;
  {
    auto store = std::move(OpenRocksDbStore(Options())).value();
    plays = ImportTwoOverlappingBatches(*store);
  }
  std::map<std::string, std::uint64_t> before = Level0FilesByFamily(Options());
  ASSERT_EQ(before[rocks::kPlaysFamily], 1u);  // the second batch's file
  const std::uint64_t imported = before[rocks::kPlaysFamily] +
                                 before[rocks::kSongPlaysFamily] +
                                 before[rocks::kDailyCountsFamily];

  auto store = std::move(OpenRocksDbStore(Options())).value();
  // Opening may flush the catalogue's log into a level 0 file of its own.
  const std::uint64_t at_open = Level0Files(*store);
  ASSERT_GE(at_open, imported);
  store->StartSettling();
  EXPECT_EQ(WaitForLevel0Files(*store, at_open - imported), at_open - imported);
  EXPECT_EQ(CountPlays(*store), plays);
  store->StartSettling();  // nothing left to do: a no-op
  store.reset();

  std::map<std::string, std::uint64_t> after = Level0FilesByFamily(Options());
  EXPECT_EQ(after[rocks::kPlaysFamily], 0u);
  EXPECT_EQ(after[rocks::kSongPlaysFamily], 0u);
  EXPECT_EQ(after[rocks::kDailyCountsFamily], 0u);
  store = std::move(OpenRocksDbStore(Options())).value();
  EXPECT_EQ(CountPlays(*store), plays);
}

TEST_F(RocksDbStoreTest, SettlingWaitsForWritesToPauseThenCompactsLevelZero) {
  // What the import below leaves in the play families' level 0.
  {
    auto probe = std::move(OpenRocksDbStore(Options("probe"))).value();
    ImportTwoOverlappingBatches(*probe);
  }
  std::map<std::string, std::uint64_t> probed = Level0FilesByFamily(Options("probe"));
  const std::uint64_t imported = probed[rocks::kPlaysFamily] + probed[rocks::kSongPlaysFamily] +
                                 probed[rocks::kDailyCountsFamily];
  ASSERT_GE(imported, 1u);

  RocksDbStoreOptions options = Options();
  options.settle_after_quiet = std::chrono::seconds(3);
  auto store = std::move(OpenRocksDbStore(options)).value();
  store->StartSettling();  // an empty store: nothing to settle
  int plays = ImportTwoOverlappingBatches(*store);
  const std::uint64_t with_import = Level0Files(*store);
  ASSERT_GE(with_import, imported);

  // Writes a play every 20 ms for a second: no pause long enough to settle.
  const ChannelId channel = store->UpsertChannel("Live", nullptr)->id;
  const SongId song = store->FindSong(store->FindPerformer("P")->id, "S")->id;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store->InsertPlays(std::vector<PlayRecord>{{channel, i * 10, i * 10 + 5, song}})
                    .ok());
    ++plays;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(Level0Files(*store), with_import);

  // Then the writes pause: the play families' level 0 is compacted.
  EXPECT_EQ(WaitForLevel0Files(*store, with_import - imported), with_import - imported);
  EXPECT_EQ(CountPlays(*store), plays);
  store.reset();
  std::map<std::string, std::uint64_t> after = Level0FilesByFamily(options);
  EXPECT_EQ(after[rocks::kPlaysFamily], 0u);
  EXPECT_EQ(after[rocks::kSongPlaysFamily], 0u);
  EXPECT_EQ(after[rocks::kDailyCountsFamily], 0u);
}

TEST_F(RocksDbStoreTest, ClosingWhileSettlingStopsItAndKeepsEveryPlay) {
  int plays = 0;
  {
    auto store = std::move(OpenRocksDbStore(Options())).value();
    plays = ImportTwoOverlappingBatches(*store);
    store->StartSettling();
  }  // closed at once, whether the compaction ran, runs or has not begun
  auto store = std::move(OpenRocksDbStore(Options())).value();
  EXPECT_EQ(CountPlays(*store), plays);
}

TEST_F(RocksDbStoreTest, PlaysWithUnknownIdsOrEmptyRangesAreRejected) {
  Result<std::unique_ptr<Store>> opened = OpenRocksDbStore(Options());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& s = **opened;
  const ChannelId channel = s.UpsertChannel("C", nullptr)->id;
  const SongId song = s.UpsertSong(s.UpsertPerformer("P", nullptr)->id, "S", nullptr)->id;
  for (const PlayRecord& bad :
       {PlayRecord{channel, 10, 10, song}, PlayRecord{channel + 1, 1, 2, song},
        PlayRecord{channel, 1, 2, song + 1}, PlayRecord{0, 1, 2, song}}) {
    Result<std::vector<PlayInsertResult>> result =
        s.InsertPlays(std::vector<PlayRecord>{{channel, 100, 200, song}, bad});
    EXPECT_TRUE(result.status().IsInvalidArgument()) << result.status().ToString();
  }
  int stored = 0;
  ASSERT_TRUE(s.ScanAllPlays([&](const PlayRecord&) { return ++stored > 0; }).ok());
  EXPECT_EQ(stored, 0);  // a rejected batch writes nothing
}

}  // namespace
}  // namespace spinlog::storage

namespace spinlog::storage {
namespace {

TEST_F(RocksDbStoreTest, StatisticsNameRocksDbFigures) {
  auto store = std::move(OpenRocksDbStore(Options())).value();
  std::map<std::string, StoreStatistic> by_name;
  for (StoreStatistic& s : store->Statistics()) {
    EXPECT_FALSE(s.help.empty()) << s.name;
    by_name.emplace(s.name, std::move(s));
  }
  for (const char* name :
       {"live_data_bytes", "sst_files_bytes", "memtable_bytes", "pending_compaction_bytes",
        "estimated_keys", "block_cache_usage_bytes", "block_cache_capacity_bytes",
        "running_compactions", "running_flushes", "write_stopped", "background_errors_total",
        "level0_files"}) {
    EXPECT_EQ(by_name.count(name), 1u) << name;
  }
  EXPECT_EQ(by_name["block_cache_capacity_bytes"].value, std::uint64_t{128} << 20);
  EXPECT_GT(by_name["memtable_bytes"].value, 0u);
  EXPECT_TRUE(by_name["background_errors_total"].is_counter);
  EXPECT_FALSE(by_name["memtable_bytes"].is_counter);
}

// A store of format version 1 (before daily counts) is upgraded at open: the
// counts are computed from its plays, also over stale counts that a crashed
// upgrade may have left.
TEST(RocksDbUpgrade, Version1GetsItsDailyCountsAtOpen) {
  TempDir dir;
  RocksDbStoreOptions options;
  options.path = dir.path() + "/data";
  std::vector<PlayRecord> plays;
  {
    std::unique_ptr<Store> store = std::move(OpenRocksDbStore(options)).value();
    const ChannelId c1 = store->UpsertChannel("C1", nullptr)->id;
    const ChannelId c2 = store->UpsertChannel("C2", nullptr)->id;
    const PerformerId p = store->UpsertPerformer("P", nullptr)->id;
    const SongId s1 = store->UpsertSong(p, "S1", nullptr)->id;
    const SongId s2 = store->UpsertSong(p, "S2", nullptr)->id;
    for (int h = 0; h < 60; ++h) {
      plays.push_back({h % 3 == 0 ? c2 : c1, h * kHour, h * kHour + 60, h % 4 == 0 ? s2 : s1});
    }
    ASSERT_TRUE(store->InsertPlays(plays).ok());
  }
  {
    // Make it look like version 1, with a stale count left over.
    rocks::DbLayout layout = rocks::MakeDbLayout(options);
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, options.path, layout.families, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* counts = handles[static_cast<std::size_t>(rocks::Family::kDailyCounts)];
    ASSERT_TRUE(db->DeleteRange(rocksdb::WriteOptions(), counts, std::string(1, '\0'),
                                std::string(13, '\xFF'))
                    .ok());
    const std::vector<SongPlayCount> stale = {{1, 99}};
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), counts, rocks::DailyCountKey(1, 0),
                        rocks::EncodeDailyCounts(stale))
                    .ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), rocks::MetaKey("format_version"),
                        rocks::EncodeId(1))
                    .ok());
    for (rocksdb::ColumnFamilyHandle* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  std::map<std::pair<ChannelId, std::int64_t>, std::map<SongId, std::int64_t>> expected;
  for (const PlayRecord& p : plays) ++expected[{p.channel_id, DayOf(p.start)}][p.song_id];
  for (int open = 0; open < 2; ++open) {  // upgraded, then plain version 2
    Result<std::unique_ptr<Store>> store = OpenRocksDbStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::map<std::pair<ChannelId, std::int64_t>, std::map<SongId, std::int64_t>> actual;
    ASSERT_TRUE((*store)
                    ->ScanDailyCounts([&](ChannelId channel, std::int64_t day,
                                          std::span<const SongPlayCount> counts) {
                      for (const SongPlayCount& c : counts) actual[{channel, day}][c.song] = c.plays;
                      return true;
                    })
                    .ok());
    EXPECT_EQ(actual, expected);
  }
}


// A store of format version 2, its records written byte by byte as version 2
// wrote them (no title index of all songs, no country index), is upgraded
// at open: every record reads back, the new indexes list them, and the
// records gain the fields of version 3 on update.
TEST(RocksDbUpgrade, Version2GetsItsTitleAndCountryIndexesAtOpen) {
  using std::string_literals::operator""s;
  TempDir dir;
  RocksDbStoreOptions options;
  options.path = dir.path() + "/data";
  { ASSERT_TRUE(OpenRocksDbStore(options).ok()); }  // makes the column families
  {
    rocks::DbLayout layout = rocks::MakeDbLayout(options);
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, options.path, layout.families, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    const std::vector<std::pair<std::string, std::string>> entries = {
        {"\x01" "format_version"s, "\0\0\0\x02"s},
        {"\x02\x10"s, "\0\0\0\x02"s},  // counters: 2 channels, 1 performer, 2 songs
        {"\x02\x11"s, "\0\0\0\x01"s},
        {"\x02\x12"s, "\0\0\0\x02"s},
        {"\x10\0\0\0\x01"s, "\x01" "Plain"s},
        {"\x10\0\0\0\x02"s, "\x02\x02P4\x02SE\x06"s},  // country SE, audience 5
        {"\x11\0\0\0\x01"s, "\x01" "Abba"s},
        {"\x12\0\0\0\x01"s, "\x01\0\0\0\x01" "SOS"s},
        {"\x12\0\0\0\x02"s, "\x01\0\0\0\x01" "Fernando"s},
        {"\x20" "Plain"s, "\0\0\0\x01"s},
        {"\x20" "P4"s, "\0\0\0\x02"s},
        {"\x21" "Abba"s, "\0\0\0\x01"s},
        {"\x22\0\0\0\x01" "SOS"s, "\0\0\0\x01"s},
        {"\x22\0\0\0\x01" "Fernando"s, "\0\0\0\x02"s},
    };
    for (const auto& [key, value] : entries) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
    }
    for (rocksdb::ColumnFamilyHandle* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  for (int open = 0; open < 2; ++open) {  // upgraded, then plain version 3
    Result<std::unique_ptr<Store>> opened = OpenRocksDbStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Store& store = **opened;
    EXPECT_EQ(store.GetChannel(2)->country, "SE");
    EXPECT_EQ(store.GetChannel(2)->audience, 5);
    EXPECT_EQ(store.GetPerformer(1)->name, "Abba");
    EXPECT_EQ(store.FindSong(1, "SOS")->id, 1u);
    std::vector<SongId> songs;
    ASSERT_TRUE(store
                    .SeekSongsByTitleAll({}, [&](const SongRecord& song) {
                      songs.push_back(song.id);
                      return true;
                    })
                    .ok());
    // Fernando, SOS (and Waterloo, made by the first open)
    EXPECT_EQ(songs, open == 0 ? (std::vector<SongId>{2, 1}) : (std::vector<SongId>{2, 1, 3}));
    std::vector<ChannelId> channels;
    ASSERT_TRUE(store
                    .SeekChannelsByCountry("SE", {}, [&](const ChannelRecord& c) {
                      channels.push_back(c.id);
                      return true;
                    })
                    .ok());
    EXPECT_EQ(channels, (std::vector<ChannelId>{2}));
    // Ids continue after the stored counters.
    EXPECT_EQ(store.UpsertSong(1, "Waterloo", nullptr)->id, 3u);
    if (open == 0) {
      SongRecord song = *store.GetSong(1);
      song.isrc = "SEAAA7400001";
      ASSERT_TRUE(store.UpdateSong(song).ok());
      // Channel values from before attributes read as having none, and
      // gain them on update.
      ChannelRecord channel = *store.GetChannel(2);
      EXPECT_EQ(channel.attributes, "");
      EXPECT_EQ(store.GetChannel(1)->attributes, "");
      channel.attributes = R"({"a":1})";
      ASSERT_TRUE(store.UpdateChannel(channel).ok());
    } else {
      EXPECT_EQ(store.GetSong(1)->isrc, "SEAAA7400001");
      EXPECT_EQ(store.GetChannel(2)->attributes, R"({"a":1})");
      EXPECT_EQ(store.GetChannel(2)->audience, 5);
    }
  }
}

}  // namespace
}  // namespace spinlog::storage
