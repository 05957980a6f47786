// The storage conformance suite: tests written against Store& alone, run
// against every backend. A backend joins by instantiating the suite with a
// StoreBackend (see rocksdb_store_test.cc, postgresql_store_test.cc):
//
//   INSTANTIATE_TEST_SUITE_P(RocksDb, StoreConformanceTest,
//                            ::testing::Values(StoreBackend{"RocksDb", &MakeRocksDbHarness}),
//                            StoreBackendName);
//
// so that every case runs as StoreConformanceTest.<case>/<backend>.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/store.h"

namespace spinlog::storage {

// Times and names the suite's cases are written in.
using Outcome = PlayInsertOutcome;
inline constexpr UnixMicros kMinute = 60 * kMicrosPerSecond;
inline constexpr UnixMicros kHour = 60 * kMinute;
inline constexpr UnixMicros kT0 = 1'388'534'400 * kMicrosPerSecond;  // 2014-01-01T00:00:00Z

// What one test stores into: a temp directory, a scratch database. Destroying
// the harness removes it.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  // Opens a store over the harness's storage. Called again after the previous
  // store is destroyed, it must see everything that store wrote.
  virtual Result<std::unique_ptr<Store>> Open() = 0;
  // Why this backend cannot be tested here (its server is not installed),
  // or "" when it can. The suite skips the backend's cases then.
  virtual std::string SkipReason() const { return ""; }
};

struct StoreBackend {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make_harness;
};

// "<prefix><n>". Written with append: GCC 12 at -O3 warns falsely
// (-Wrestrict, GCC bug 105329) on `"literal" + std::to_string(n)`.
inline std::string Numbered(std::string_view prefix, long long n) {
  std::string name(prefix);
  name.append(std::to_string(n));
  return name;
}

inline std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

inline void PrintTo(const PlayRecord& play, std::ostream* os) {
  *os << "{channel " << play.channel_id << ", song " << play.song_id << ", [" << play.start << ", "
      << play.end << ")}";
}

class StoreConformanceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make_harness();
    ASSERT_NE(harness_, nullptr);
    if (const std::string reason = harness_->SkipReason(); !reason.empty()) {
      GTEST_SKIP() << GetParam().name << " skipped: " << reason;
    }
    Reopen();
  }

  // Closes the store and opens it again over the same storage.
  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> opened = harness_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  Store& store() { return *store_; }
  const StoreHarness& harness() const { return *harness_; }

  // Creates (or finds) what a test needs; fails the test on error.
  ChannelId Channel(std::string_view name) {
    Result<ChannelRecord> channel = store().UpsertChannel(name, nullptr);
    EXPECT_TRUE(channel.ok()) << channel.status().ToString();
    return channel.ok() ? channel->id : 0;
  }
  SongId Song(std::string_view performer, std::string_view title) {
    Result<PerformerRecord> p = store().UpsertPerformer(performer, nullptr);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return 0;
    Result<SongRecord> song = store().UpsertSong(p->id, title, nullptr);
    EXPECT_TRUE(song.ok()) << song.status().ToString();
    return song.ok() ? song->id : 0;
  }
  // Inserts and returns the outcomes; fails the test on error.
  std::vector<PlayInsertOutcome> Insert(const std::vector<PlayRecord>& plays) {
    Result<std::vector<PlayInsertResult>> results = store().InsertPlays(plays);
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    std::vector<PlayInsertOutcome> outcomes;
    if (results.ok()) {
      for (const PlayInsertResult& r : *results) outcomes.push_back(r.outcome);
    }
    return outcomes;
  }
  // The plays that each scan visits, in order; fails the test on error.
  std::vector<PlayRecord> ChannelPlays(ChannelId channel, UnixMicros from, UnixMicros to) {
    std::vector<PlayRecord> plays;
    ExpectOk(store().ScanChannelPlays(channel, from, to, Collect(&plays)));
    return plays;
  }
  std::vector<PlayRecord> SongPlays(SongId song, UnixMicros from, UnixMicros to) {
    std::vector<PlayRecord> plays;
    ExpectOk(store().ScanSongPlays(song, from, to, Collect(&plays)));
    return plays;
  }
  std::vector<PlayRecord> SeekChannel(ChannelId channel, const PlaySeek& seek) {
    std::vector<PlayRecord> plays;
    ExpectOk(store().SeekChannelPlays(channel, seek, Collect(&plays)));
    return plays;
  }
  std::vector<PlayRecord> SeekSong(SongId song, const PlaySeek& seek) {
    std::vector<PlayRecord> plays;
    ExpectOk(store().SeekSongPlays(song, seek, Collect(&plays)));
    return plays;
  }

 private:
  static PlayVisitor Collect(std::vector<PlayRecord>* plays) {
    return [plays](const PlayRecord& p) {
      plays->push_back(p);
      return true;
    };
  }
  static void ExpectOk(const Status& s) { EXPECT_TRUE(s.ok()) << s.ToString(); }

  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;  // after harness_: destroyed first
};

}  // namespace spinlog::storage
