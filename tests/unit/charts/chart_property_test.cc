// Property test: ChartService::Top over a real RocksDB store equals a brute-force
// chart computed from the raw list of stored plays (plays-api.md, get_top), for
// many small random datasets and queries.
//
// Each dataset is seeded; a failure names its seed. Environment:
//   SPINLOG_CHART_SEED=<n>      run only the dataset with seed n (replay)
//   SPINLOG_CHART_DATASETS=<n>  run n datasets (default 1000)
//
// The datasets are small on purpose: a few channels (16-24 in some, for the
// all-channel day totals), a handful of songs (so
// ties are frequent), a few dozen plays whose starts crowd around midnights
// and week boundaries, posted in random order (backdated plays arrive after
// later ones) with duplicates and conflicts mixed in, some in the same batch.
// Some datasets send batches through Store::BulkInsertPlays (the import
// path). Queries use arbitrary microsecond bounds, whole weeks, partial days
// and bounds equal to a play's start. A quarter of the datasets also check a
// ChartService rebuilt from the store (the restart path, from the store's
// daily counts), some after closing and opening the store again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "charts/chart_service.h"
#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"
#include "text/datetime.h"

namespace spinlog::charts {
namespace {

using storage::ChannelId;
using storage::PlayInsertOutcome;
using storage::PlayInsertResult;
using storage::PlayRecord;
using storage::SongId;

constexpr std::uint64_t kFirstSeed = 20'140'108;
constexpr std::uint64_t kDefaultDatasets = 1000;
// Datasets that also check a ChartService rebuilt from the store.
constexpr int kRebuildPercent = 25;
constexpr UnixMicros kMicrosPerHour = 3600 * kMicrosPerSecond;
// 2014-01-06T00:00:00Z, a Monday.
constexpr UnixMicros k2014Week = 16'076 * kMicrosPerDay;

// A small deterministic generator (the standard distributions differ between
// standard libraries; these do not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(engine_() % span);
  }
  // True with probability percent/100.
  bool Percent(int percent) { return Between(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }
  template <typename T>
  void Shuffle(std::vector<T>* items) {
    for (std::size_t i = items->size(); i > 1; --i) {
      const auto j = Between(0, static_cast<std::int64_t>(i) - 1);
      std::swap((*items)[i - 1], (*items)[static_cast<std::size_t>(j)]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

struct Song {
  SongId id = 0;
  std::string performer;
  std::string title;
};

struct Query {
  std::vector<ChannelId> channels;
  UnixMicros from = 0;
  UnixMicros to = 0;
  std::size_t limit = 0;
};

// ---------------------------------------------------------------------------
// The reference: brute force over the plays, straight from the spec.

// Code-point order of UTF-8 strings is the order of their bytes as unsigned.
bool BytesBefore(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  });
}

// (song, plays) in chart order: plays descending, performer, title, song id.
std::vector<std::pair<SongId, std::int64_t>> ReferenceRanking(
    const std::vector<PlayRecord>& plays, const std::map<SongId, Song>& songs,
    const std::vector<ChannelId>& channels, UnixMicros from, UnixMicros to) {
  std::map<SongId, std::int64_t> counts;
  for (const PlayRecord& play : plays) {
    const bool listed =
        std::find(channels.begin(), channels.end(), play.channel_id) != channels.end();
    if (listed && play.start >= from && play.start < to) ++counts[play.song_id];
  }
  std::vector<std::pair<SongId, std::int64_t>> ranking(counts.begin(), counts.end());
  std::sort(ranking.begin(), ranking.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    const Song& sa = songs.at(a.first);
    const Song& sb = songs.at(b.first);
    if (sa.performer != sb.performer) return BytesBefore(sa.performer, sb.performer);
    if (sa.title != sb.title) return BytesBefore(sa.title, sb.title);
    return a.first < b.first;
  });
  return ranking;
}

std::vector<ChartEntry> ReferenceTop(const std::vector<PlayRecord>& plays,
                                     const std::map<SongId, Song>& songs, const Query& q) {
  const UnixMicros length = q.to - q.from;
  const auto now = ReferenceRanking(plays, songs, q.channels, q.from, q.to);
  const auto before = ReferenceRanking(plays, songs, q.channels, q.from - length, q.from);
  std::vector<ChartEntry> chart;
  for (std::size_t i = 0; i < now.size() && i < q.limit; ++i) {
    ChartEntry entry;
    entry.song = now[i].first;
    entry.performer = songs.at(entry.song).performer;
    entry.title = songs.at(entry.song).title;
    entry.rank = static_cast<std::int64_t>(i);
    entry.plays = now[i].second;
    for (std::size_t j = 0; j < before.size(); ++j) {
      if (before[j].first == entry.song) {
        entry.previous_rank = static_cast<std::int64_t>(j);
        entry.previous_plays = before[j].second;
      }
    }
    chart.push_back(entry);
  }
  return chart;
}

// ---------------------------------------------------------------------------
// Printing, for failure messages that can be turned into a unit test.

std::string Time(UnixMicros t) {
  const std::int64_t day = DayOf(t);
  std::ostringstream out;
  out << t << " (" << text::FormatDatetimeUtc(t) << ", day " << day << " +"
      << (t - day * kMicrosPerDay) << "us)";
  return out.str();
}

std::string Describe(const ChartEntry& e) {
  std::ostringstream out;
  out << "{song " << e.song << " '" << e.performer << "'/'" << e.title << "' rank " << e.rank
      << " plays " << e.plays << " previous_rank "
      << (e.previous_rank ? std::to_string(*e.previous_rank) : std::string("null"))
      << " previous_plays " << e.previous_plays << "}";
  return out.str();
}

std::string Describe(const std::vector<ChartEntry>& chart) {
  std::string out;
  for (const ChartEntry& e : chart) out += "\n    " + Describe(e);
  return out.empty() ? "\n    (empty)" : out;
}

bool SameEntry(const ChartEntry& a, const ChartEntry& b) {
  return a.song == b.song && a.performer == b.performer && a.title == b.title && a.rank == b.rank &&
         a.plays == b.plays && a.previous_rank == b.previous_rank &&
         a.previous_plays == b.previous_plays;
}

// ---------------------------------------------------------------------------
// One random dataset, posted to a store and checked against the reference.

class Dataset {
 public:
  // `reopen` closes the store and opens it again, returning the new one.
  Dataset(std::uint64_t seed, storage::Store* store, std::function<storage::Store*()> reopen)
      : seed_(seed), rng_(seed), store_(store), reopen_(std::move(reopen)) {}

  // Generates, posts and checks. Returns a description of the first mismatch
  // ("" when every chart equals the reference).
  std::string Run() {
    Generate();
    charts_ = std::make_unique<ChartService>(store_);
    for (const auto& [id, song] : songs_) charts_->RegisterSong(id, song.performer, song.title);

    const std::size_t middle = batches_.size() / 2;
    for (std::size_t b = 0; b < batches_.size(); ++b) {
      if (std::string failure = Post(batches_[b]); !failure.empty()) return failure;
      // Now and then between batches, so that rankings cached for a period
      // meet plays stored in it afterwards.
      if (rng_.Percent(15)) {
        if (std::string failure = CheckQueries(*charts_, 1, "live, between batches");
            !failure.empty()) {
          return failure;
        }
      }
      if (b + 1 == middle) {
        // Part way: later plays are in, backdated ones are still to come.
        if (std::string failure = CheckQueries(*charts_, 4, "live, part way"); !failure.empty()) {
          return failure;
        }
      }
    }
    if (std::string failure = CheckStoreHoldsModel(); !failure.empty()) return failure;
    if (std::string failure = CheckQueries(*charts_, 10, "live"); !failure.empty()) return failure;
    if (rebuild_) {
      // The restart path: a new service counts what the store holds, at
      // times after the store was closed and opened again.
      if (rng_.Percent(30)) {
        charts_.reset();
        store_ = reopen_();
        if (store_ == nullptr) return "cannot open the store again";
        if (std::string failure = CheckStoreHoldsModel(); !failure.empty()) return failure;
      }
      ChartService rebuilt(store_);
      if (Status status = rebuilt.Rebuild(); !status.ok()) return "Rebuild: " + status.message();
      if (std::string failure = CheckQueries(rebuilt, 10, "rebuilt"); !failure.empty()) {
        return failure;
      }
    }
    return "";
  }

  bool rebuild() const { return rebuild_; }

 private:
  void Generate() {
    rebuild_ = rng_.Percent(kRebuildPercent);
    // Some datasets send some or all batches through the bulk (import) path,
    // in larger batches (a bulk insert writes and ingests files: slow).
    bulk_percent_ = rng_.Percent(90) ? 0 : static_cast<int>(rng_.Between(30, 100));
    // Mostly a 2014 week start; sometimes around the epoch, so that days and
    // previous periods are negative.
    base_ = rng_.Percent(90) ? k2014Week + 7 * kMicrosPerDay * rng_.Between(0, 100)
                             : kMicrosPerDay * rng_.Between(-10, 3);

    const std::string prefix = "ds" + std::to_string(seed_) + "-";
    // Some datasets have many channels, so that charts over most of them add
    // the all-channel day totals and take the others away.
    many_channels_ = rng_.Percent(15);
    const int channel_count = static_cast<int>(many_channels_ ? rng_.Between(16, 24)
                                                              : rng_.Between(1, 4));
    for (int i = 0; i < channel_count; ++i) {
      channels_.push_back(store_->UpsertChannel(prefix + "c" + std::to_string(i), nullptr)->id);
    }
    // A channel with no plays at all.
    empty_channel_ = store_->UpsertChannel(prefix + "empty", nullptr)->id;

    // Names chosen so that ties fall through to performer and title, with
    // bytes >= 0x80 (signed char order would differ) and case differences.
    static const std::vector<std::string> kPerformers = {
        "A", "B", "a", "Ab", "\xC3\x84", "Z", "\xC3\xA9t\xC3\xA9"};
    static const std::vector<std::string> kTitles = {"x", "y", "X", "xy", "\xC3\xA9", "z\xC3\xA9"};
    const int song_count = static_cast<int>(rng_.Between(1, 6));
    std::set<std::pair<std::string, std::string>> names;
    while (static_cast<int>(names.size()) < song_count) {
      names.emplace(rng_.Pick(kPerformers), rng_.Pick(kTitles));
    }
    for (const auto& [performer, title] : names) {
      const storage::PerformerId p = store_->UpsertPerformer(performer, nullptr)->id;
      const SongId id = store_->UpsertSong(p, title, nullptr)->id;
      songs_[id] = Song{id, performer, title};
      song_ids_.push_back(id);
    }
    // Skewed popularity: listing a song twice makes it likelier.
    std::vector<SongId> weighted = song_ids_;
    for (SongId id : song_ids_) {
      if (rng_.Percent(40)) weighted.push_back(id);
    }

    std::vector<PlayRecord> posts;
    const int post_count = static_cast<int>(rng_.Between(0, 45));
    for (int i = 0; i < post_count; ++i) {
      if (!posts.empty() && rng_.Percent(12)) {
        posts.push_back(rng_.Pick(posts));  // the same play again
      } else if (!posts.empty() && rng_.Percent(12)) {
        PlayRecord conflict = rng_.Pick(posts);  // same (channel, start), other song or end
        if (song_ids_.size() > 1 && rng_.Percent(50)) {
          const SongId stored = conflict.song_id;
          while (conflict.song_id == stored) conflict.song_id = rng_.Pick(song_ids_);
        } else {
          conflict.end += rng_.Between(1, kMicrosPerHour);
        }
        posts.push_back(conflict);
      } else {
        PlayRecord play;
        play.channel_id = rng_.Pick(channels_);
        play.song_id = rng_.Pick(weighted);
        play.start = RandomInstant();
        play.end = play.start + rng_.Between(1, 3 * kMicrosPerHour);
        posts.push_back(play);
      }
    }
    // Mostly out of time order: backdated plays arrive after later ones.
    if (rng_.Percent(80)) {
      rng_.Shuffle(&posts);
    } else {
      std::stable_sort(posts.begin(), posts.end(),
                       [](const PlayRecord& a, const PlayRecord& b) { return a.start > b.start; });
    }
    for (std::size_t i = 0; i < posts.size();) {
      const std::size_t size =
          static_cast<std::size_t>(rng_.Between(1, bulk_percent_ > 0 ? 20 : 6));
      batches_.emplace_back(
          posts.begin() + static_cast<std::ptrdiff_t>(i),
          posts.begin() + static_cast<std::ptrdiff_t>(std::min(i + size, posts.size())));
      i += size;
    }
  }

  // An instant crowding midnights (and so week boundaries, base being one).
  UnixMicros RandomInstant() {
    const UnixMicros midnight = base_ + kMicrosPerDay * rng_.Between(-9, 22);
    switch (rng_.Between(0, 8)) {
      case 0:
        return midnight;
      case 1:
        return midnight + 1;
      case 2:
        return midnight - 1;
      case 3:
        return midnight - kMicrosPerSecond;
      case 4:
        return midnight + rng_.Between(0, 60 * kMicrosPerSecond);
      case 5:
        return midnight - rng_.Between(1, 60 * kMicrosPerSecond);
      case 6:
        return midnight + kMicrosPerHour * rng_.Between(0, 23);
      default:
        return midnight + rng_.Between(0, kMicrosPerDay - 1);
    }
  }

  UnixMicros RandomFrom() {
    const UnixMicros midnight = base_ + kMicrosPerDay * rng_.Between(-8, 22);
    switch (rng_.Between(0, 9)) {
      case 0:
      case 1:
      case 2:
        return midnight;
      case 3:
        return base_ + kMicrosPerWeek * rng_.Between(-1, 3);
      case 4:
      case 5:
        if (!model_.empty()) {
          auto it = model_.begin();
          std::advance(it, rng_.Between(0, static_cast<std::int64_t>(model_.size()) - 1));
          return it->second.start + rng_.Between(-1, 1);
        }
        return midnight;
      case 6:
        return midnight + rng_.Between(-1, 1);
      case 7:
        return midnight + kMicrosPerHour * rng_.Between(1, 23);
      default:
        return midnight + rng_.Between(-kMicrosPerDay, kMicrosPerDay);
    }
  }

  UnixMicros RandomLength(UnixMicros from) {
    switch (rng_.Between(0, 19)) {
      case 0:
        return kMicrosPerDay;
      case 1:
      case 2:
        return kMicrosPerDay * rng_.Between(1, 15) + rng_.Between(-1, 1);
      case 3:
      case 4:
        return rng_.Between(1, 3 * kMicrosPerDay);
      case 5:
      case 6: {
        // Ends exactly at a stored play's start.
        for (const auto& [key, play] : model_) {
          if (play.start > from && rng_.Percent(30)) return play.start - from;
        }
        return kMicrosPerWeek;
      }
      case 7:
        return rng_.Between(1, 1000);
      case 8:
        return 2 * kMicrosPerWeek + rng_.Between(0, kMicrosPerDay);
      case 9:
        return rng_.Percent(20) ? 0 : kMicrosPerWeek;  // an empty range now and then
      default:
        return kMicrosPerWeek;
    }
  }

  Query RandomQuery() {
    Query q;
    const int pick_percent = many_channels_ ? (rng_.Percent(30) ? 100 : 85) : 60;
    for (ChannelId c : channels_) {
      if (rng_.Percent(pick_percent)) q.channels.push_back(c);
    }
    if (q.channels.empty() && rng_.Percent(90)) q.channels.push_back(rng_.Pick(channels_));
    if (rng_.Percent(20)) q.channels.push_back(empty_channel_);
    rng_.Shuffle(&q.channels);
    q.from = RandomFrom();
    q.to = q.from + RandomLength(q.from);
    switch (rng_.Between(0, 4)) {
      case 0:
        q.limit = 40;
        break;
      case 1:
        q.limit = 1000;
        break;
      default:
        q.limit = static_cast<std::size_t>(rng_.Between(1, 6));
        break;
    }
    return q;
  }

  // Posts one batch, checks the store's answer against the model and tells
  // the service about exactly the plays created.
  std::string Post(const std::vector<PlayRecord>& batch) {
    const bool bulk = rng_.Percent(bulk_percent_);
    Result<std::vector<PlayInsertResult>> results =
        bulk ? store_->BulkInsertPlays(batch) : store_->InsertPlays(batch);
    if (!results.ok()) return "InsertPlays: " + results.status().message();
    std::vector<PlayRecord> created;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const PlayRecord& play = batch[i];
      const auto key = std::make_pair(play.channel_id, play.start);
      PlayInsertOutcome expected = PlayInsertOutcome::kCreated;
      if (auto it = model_.find(key); it != model_.end()) {
        expected =
            it->second == play ? PlayInsertOutcome::kDuplicate : PlayInsertOutcome::kConflict;
      } else {
        model_.emplace(key, play);
      }
      if ((*results)[i].outcome != expected) {
        return std::string(bulk ? "BulkInsertPlays" : "InsertPlays") + " outcome " +
               std::to_string(static_cast<int>((*results)[i].outcome)) + ", the model expects " +
               std::to_string(static_cast<int>(expected)) + " for the play at " + Time(play.start);
      }
      if (expected == PlayInsertOutcome::kCreated) created.push_back(play);
    }
    if (!created.empty()) charts_->OnPlaysStored(created);
    return "";
  }

  std::string CheckStoreHoldsModel() {
    std::vector<PlayRecord> scanned;
    for (ChannelId c : channels_) {
      Status status = store_->ScanChannelPlays(c, kScanFrom, kScanTo, [&](const PlayRecord& p) {
        scanned.push_back(p);
        return true;
      });
      if (!status.ok()) return "ScanChannelPlays: " + status.message();
    }
    std::vector<PlayRecord> modelled;
    for (const auto& [key, play] : model_) modelled.push_back(play);
    if (scanned != modelled) {
      return "the store holds " + std::to_string(scanned.size()) + " plays, the model " +
             std::to_string(modelled.size());
    }
    return "";
  }

  std::string CheckQueries(const ChartService& charts, int count, const char* phase) {
    std::vector<PlayRecord> plays;
    for (const auto& [key, play] : model_) plays.push_back(play);
    for (int i = 0; i < count; ++i) {
      const Query q = RandomQuery();
      Result<std::vector<ChartEntry>> got = charts.Top(q.channels, q.from, q.to, q.limit);
      if (!got.ok()) return std::string(phase) + " Top failed: " + got.status().message();
      const std::vector<ChartEntry> want = ReferenceTop(plays, songs_, q);
      bool same = got->size() == want.size();
      for (std::size_t j = 0; same && j < want.size(); ++j) same = SameEntry((*got)[j], want[j]);
      if (!same) return Mismatch(phase, q, *got, want, plays);
    }
    return "";
  }

  std::string Mismatch(const char* phase, const Query& q, const std::vector<ChartEntry>& got,
                       const std::vector<ChartEntry>& want, const std::vector<PlayRecord>& plays) {
    std::ostringstream out;
    out << phase << " chart differs from the reference\n  query: channels [";
    for (ChannelId c : q.channels) out << " " << c;
    out << " ] from " << Time(q.from) << " to " << Time(q.to) << " (length " << q.to - q.from
        << "us) limit " << q.limit << "\n  Top:" << Describe(got)
        << "\n  reference:" << Describe(want) << "\n  songs:";
    for (const auto& [id, song] : songs_) {
      out << "\n    " << id << " '" << song.performer << "'/'" << song.title << "'";
    }
    out << "\n  stored plays (channel song start end):";
    for (const PlayRecord& p : plays) {
      out << "\n    " << p.channel_id << " " << p.song_id << " " << Time(p.start) << " " << p.end;
    }
    return out.str();
  }

  // Wider than any instant a dataset uses.
  static constexpr UnixMicros kScanFrom = -1'000 * kMicrosPerWeek;
  static constexpr UnixMicros kScanTo = 10'000 * kMicrosPerWeek;

  std::uint64_t seed_;
  Rng rng_;
  storage::Store* store_;
  std::unique_ptr<ChartService> charts_;
  std::function<storage::Store*()> reopen_;
  bool rebuild_ = false;
  int bulk_percent_ = 0;
  UnixMicros base_ = 0;
  std::vector<ChannelId> channels_;
  bool many_channels_ = false;
  ChannelId empty_channel_ = 0;
  std::map<SongId, Song> songs_;
  std::vector<SongId> song_ids_;
  std::vector<std::vector<PlayRecord>> batches_;
  // What the store holds, by (channel, start): a play is stored iff its key was new.
  std::map<std::pair<ChannelId, UnixMicros>, PlayRecord> model_;
};

std::optional<std::uint64_t> EnvNumber(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::strtoull(value, nullptr, 10);
}

std::unique_ptr<storage::Store> OpenStore(const std::string& path) {
  storage::RocksDbStoreOptions options;
  options.path = path;
  options.sync_writes = false;
  options.block_cache_bytes = std::size_t{8} << 20;
  Result<std::unique_ptr<storage::Store>> store = storage::OpenRocksDbStore(options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Datasets share stores, each with channels of its own: opening a store per
// dataset would cost more than the checks. Datasets that check the restart
// path go to a second store, replaced every few datasets, so that each
// Rebuild scans few plays besides its own.
TEST(ChartPropertyTest, TopEqualsBruteForceReference) {
  std::vector<std::uint64_t> seeds;
  if (std::optional<std::uint64_t> seed = EnvNumber("SPINLOG_CHART_SEED")) {
    seeds.push_back(*seed);
  } else {
    const std::uint64_t count = EnvNumber("SPINLOG_CHART_DATASETS").value_or(kDefaultDatasets);
    for (std::uint64_t i = 0; i < count; ++i) seeds.push_back(kFirstSeed + i);
  }
  constexpr int kDatasetsPerRebuildStore = 16;

  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<storage::Store> live = OpenStore(dir.path() + "/live");
  ASSERT_NE(live, nullptr);
  std::unique_ptr<storage::Store> rebuild;
  int rebuild_store_count = 0;
  int rebuild_store_uses = 0;

  int failures = 0;
  int rebuilt = 0;
  for (std::uint64_t seed : seeds) {
    SCOPED_TRACE("dataset seed " + std::to_string(seed) +
                 " (replay with SPINLOG_CHART_SEED=" + std::to_string(seed) + ")");
    // Whether the dataset checks Rebuild is its first draw: peek to pick the store.
    Rng peek(seed);
    const bool checks_rebuild = peek.Percent(kRebuildPercent);
    if (checks_rebuild && (rebuild == nullptr || rebuild_store_uses == kDatasetsPerRebuildStore)) {
      rebuild.reset();
      rebuild = OpenStore(dir.path() + "/rebuild" + std::to_string(++rebuild_store_count));
      ASSERT_NE(rebuild, nullptr);
      rebuild_store_uses = 0;
    }
    rebuild_store_uses += checks_rebuild ? 1 : 0;
    const std::string rebuild_path = dir.path() + "/rebuild" + std::to_string(rebuild_store_count);
    auto reopen = [&]() -> storage::Store* {
      rebuild.reset();
      rebuild = OpenStore(rebuild_path);
      return rebuild.get();
    };
    Dataset dataset(seed, checks_rebuild ? rebuild.get() : live.get(), reopen);
    const std::string failure = dataset.Run();
    rebuilt += dataset.rebuild() ? 1 : 0;
    if (!failure.empty()) {
      ++failures;
      if (failures <= 3) ADD_FAILURE() << failure;
    }
  }
  EXPECT_EQ(failures, 0) << "datasets whose charts differ from the reference, of " << seeds.size();
  if (seeds.size() > 1) {
    EXPECT_GT(rebuilt, 0);
  }
}

}  // namespace
}  // namespace spinlog::charts
