#include "charts/store_follower.h"

#include <string>
#include <utility>
#include <vector>

#include "common/logging.h"

namespace spinlog::charts {

StoreFollower::StoreFollower(storage::Store* store, ChartService* charts,
                             std::chrono::milliseconds interval)
    : store_(store), charts_(charts), interval_(interval) {}

StoreFollower::~StoreFollower() { Stop(); }

void StoreFollower::Start() {
  if (!store_->IsShared() || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void StoreFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status StoreFollower::PollOnce() {
  std::lock_guard<std::mutex> poll(poll_mutex_);
  Status named = Status::OK();
  Status polled = store_->PollForeignPlays([&](std::span<const storage::PlayRecord> plays) {
    // Charts rank songs by their names: a song first played on another node
    // is named here before its plays count (as CatalogueService does).
    for (const storage::PlayRecord& play : plays) {
      if (charts_->KnowsSong(play.song_id)) continue;
      Result<storage::SongRecord> song = store_->GetSong(play.song_id);
      Result<storage::PerformerRecord> performer =
          song.ok() ? store_->GetPerformer(song->performer_id)
                    : Result<storage::PerformerRecord>(song.status());
      if (!performer.ok()) {
        // Counted all the same (its plays are real); named "" until a restart.
        if (named.ok()) named = performer.status();
        continue;
      }
      charts_->RegisterSong(song->id, performer->name, song->title, performer->id);
    }
    charts_->OnPlaysStored(plays);
  });
  if (!polled.ok()) return polled;
  return named;
}

void StoreFollower::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  bool failing = false;
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    const Status polled = PollOnce();
    if (!polled.ok()) {
      ++failures_;
      // Once per outage: the store's own errors say the rest (readiness).
      if (!failing) logging::Warn("cannot follow other nodes' plays: " + polled.ToString());
      failing = true;
    } else if (failing) {
      logging::Info("following other nodes' plays again");
      failing = false;
    }
    lock.lock();
  }
}

}  // namespace spinlog::charts
