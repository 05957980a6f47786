// PlayService counts the outcome of every play it answers (for metrics):
// single plays and batches, created, duplicate, conflict and invalid.
#include <gtest/gtest.h>

#include <array>
#include <future>
#include <memory>
#include <vector>

#include "charts/chart_service.h"
#include "counting_store.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"
#include "ingest/play_committer.h"
#include "support/scratch_store.h"
#include "support/temp_dir.h"

namespace spinlog::domain {
namespace {

constexpr UnixMicros kMinute = 60 * kMicrosPerSecond;

class PlayOutcomeCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = spinlog::testing::OpenScratchStore(dir_.path());
    counting_ = std::make_unique<CountingStore>(store_.get());
    charts_ = std::make_unique<charts::ChartService>(store_.get());
    committer_ = std::make_unique<ingest::PlayCommitter>(
        store_.get(), ingest::PlayCommitterOptions{},
        [this](std::span<const storage::PlayRecord> created) { charts_->OnPlaysStored(created); });
    catalogue_ = std::make_unique<CatalogueService>(store_.get(), charts_.get());
    plays_ = std::make_unique<PlayService>(counting_.get(), catalogue_.get(), committer_.get());
  }

  void TearDown() override { committer_->Stop(); }

  // Adds one play and waits for its answer; true when it was stored or found.
  bool Add(const std::string& title, UnixMicros start) {
    std::promise<bool> answered;
    plays_->AddPlay({"C", "P", title, start, start + 3 * kMinute},
                    [&](Result<PlayByNames> stored) { answered.set_value(stored.ok()); });
    return answered.get_future().get();
  }

  // created, duplicate, conflict, invalid
  std::array<std::uint64_t, kPlayOutcomeCount> Outcomes() const { return plays_->OutcomeCounts(); }

  spinlog::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  // The play service reads through it: tests see which plays it looked up.
  std::unique_ptr<CountingStore> counting_;
  std::unique_ptr<charts::ChartService> charts_;
  std::unique_ptr<ingest::PlayCommitter> committer_;
  std::unique_ptr<CatalogueService> catalogue_;
  std::unique_ptr<PlayService> plays_;
};

using Counts = std::array<std::uint64_t, kPlayOutcomeCount>;

TEST_F(PlayOutcomeCountsTest, SinglePlaysCountCreatedDuplicateAndConflict) {
  EXPECT_EQ(Outcomes(), (Counts{0, 0, 0, 0}));
  EXPECT_TRUE(Add("A", 0));
  EXPECT_TRUE(Add("A", 0));   // the same play again
  EXPECT_FALSE(Add("B", 0));  // another song at the same (channel, start)
  EXPECT_TRUE(Add("B", kMinute * 10));
  EXPECT_EQ(Outcomes(), (Counts{2, 1, 1, 0}));
}

// Over PostgreSQL a look-up before the write is a round trip on the event
// loop: with channel and song known, the committer's write alone must tell
// created, duplicate and conflict apart.
TEST_F(PlayOutcomeCountsTest, KnownChannelAndSongAreWrittenWithoutReadingPlays) {
  EXPECT_TRUE(Add("A", 0));  // creates channel, performer and song
  counting_->Reset();
  EXPECT_TRUE(Add("A", 0));   // duplicate
  EXPECT_TRUE(Add("A", 5 * kMinute));
  EXPECT_EQ(counting_->plays_read(), 0);
  EXPECT_EQ(Outcomes(), (Counts{2, 1, 0, 0}));
}

TEST_F(PlayOutcomeCountsTest, BatchItemsCountOneEach) {
  std::vector<PlayInput> batch(4);
  for (PlayInput& play : batch) {
    play.channel = "C";
    play.performer = "P";
    play.title = "A";
    play.end = 3 * kMinute;
  }
  batch[1].title = "B";  // conflicts with item 0, stored first in the batch
  batch[2].start = 10 * kMinute;
  batch[2].end = 13 * kMinute;
  batch[3].song_id = 999;  // no such song
  std::promise<void> answered;
  plays_->AddPlays(batch, PlayEcho::kEveryPlay, [&](Result<std::vector<PlayResult>> results) {
    EXPECT_TRUE(results.ok());
    answered.set_value();
  });
  answered.get_future().get();
  EXPECT_EQ(Outcomes(), (Counts{2, 0, 1, 1}));
  EXPECT_STREQ(PlayOutcomeName(PlayOutcome::kInvalid), "invalid");
}

// Which results name their play: every one, or (for answers that show only
// outcomes) conflicts alone, which name the stored play. Items by ids are
// named as items by names.
TEST_F(PlayOutcomeCountsTest, BatchResultsNameEveryPlayOrConflictsOnly) {
  auto add_batch = [this](std::vector<PlayInput> batch, PlayEcho echo) {
    std::promise<std::vector<PlayResult>> answered;
    plays_->AddPlays(std::move(batch), echo, [&](Result<std::vector<PlayResult>> results) {
      EXPECT_TRUE(results.ok()) << results.status().ToString();
      answered.set_value(results.ok() ? std::move(*results) : std::vector<PlayResult>{});
    });
    return answered.get_future().get();
  };
  std::vector<PlayInput> first(2);
  first[0] = {"C", 0, "P", "A", 0, 0, 3 * kMinute};
  first[1] = {"C", 0, "P", "B", 0, 10 * kMinute, 13 * kMinute};
  std::vector<PlayResult> named = add_batch(first, PlayEcho::kEveryPlay);
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].outcome, PlayOutcome::kCreated);
  EXPECT_EQ(named[0].play.channel, "C");
  EXPECT_EQ(named[0].play.performer, "P");
  EXPECT_EQ(named[0].play.title, "A");
  EXPECT_EQ(named[0].play.end, 3 * kMinute);
  EXPECT_EQ(named[1].play.title, "B");

  const storage::ChannelId channel = catalogue_->FindChannel("C")->id;
  const storage::SongId song_a = catalogue_->FindSong("P", "A")->id;
  std::vector<PlayInput> second(4);
  second[0] = {"", channel, "", "", song_a, 0, 3 * kMinute};               // a duplicate, by ids
  second[1] = {"C", 0, "P", "A", 0, 10 * kMinute, 12 * kMinute};           // conflicts with B
  second[2] = {"C", 0, "Q", "N", 0, 20 * kMinute, 23 * kMinute};           // new song and performer
  second[3] = {"C", 0, "", "", song_a + 999, 30 * kMinute, 33 * kMinute};  // no such song

  std::vector<PlayResult> by_ids = add_batch(second, PlayEcho::kEveryPlay);
  ASSERT_EQ(by_ids.size(), 4u);
  EXPECT_EQ(by_ids[0].outcome, PlayOutcome::kDuplicate);
  EXPECT_EQ(by_ids[0].play.channel, "C");
  EXPECT_EQ(by_ids[0].play.performer, "P");
  EXPECT_EQ(by_ids[0].play.title, "A");
  EXPECT_EQ(by_ids[1].outcome, PlayOutcome::kConflict);
  EXPECT_EQ(by_ids[1].play.title, "B");  // what is stored
  EXPECT_EQ(by_ids[1].play.end, 13 * kMinute);
  EXPECT_EQ(by_ids[2].outcome, PlayOutcome::kCreated);
  EXPECT_EQ(by_ids[2].play.performer, "Q");
  EXPECT_EQ(by_ids[3].outcome, PlayOutcome::kInvalid);
  ASSERT_EQ(by_ids[3].problems.size(), 1u);
  EXPECT_EQ(by_ids[3].problems[0].field, "song_id");

  std::vector<PlayResult> outcomes = add_batch(second, PlayEcho::kConflictsOnly);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].outcome, PlayOutcome::kDuplicate);
  EXPECT_EQ(outcomes[0].play, PlayByNames{});
  EXPECT_EQ(outcomes[1].outcome, PlayOutcome::kConflict);
  EXPECT_EQ(outcomes[1].play.channel, "C");
  EXPECT_EQ(outcomes[1].play.performer, "P");
  EXPECT_EQ(outcomes[1].play.title, "B");
  EXPECT_EQ(outcomes[1].play.start, 10 * kMinute);
  EXPECT_EQ(outcomes[1].play.end, 13 * kMinute);
  EXPECT_EQ(outcomes[2].outcome, PlayOutcome::kDuplicate);
  EXPECT_EQ(outcomes[2].play, PlayByNames{});
  EXPECT_EQ(outcomes[3].outcome, PlayOutcome::kInvalid);
}

TEST_F(PlayOutcomeCountsTest, PlaysRefusedByTheApiCountAsInvalid) {
  plays_->CountRefused(0);
  EXPECT_EQ(Outcomes(), (Counts{0, 0, 0, 0}));
  plays_->CountRefused(3);
  EXPECT_EQ(Outcomes(), (Counts{0, 0, 0, 3}));
}

}  // namespace
}  // namespace spinlog::domain
