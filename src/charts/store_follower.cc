#include "charts/store_follower.h"

#include <string>
#include <utility>
#include <vector>

#include "common/logging.h"
#include "common/thread_name.h"

namespace spinlog::charts {

StoreFollower::StoreFollower(storage::Store* store, ChartService* charts,
                             std::chrono::milliseconds interval)
    : store_(store), charts_(charts), interval_(interval) {}

StoreFollower::~StoreFollower() { Stop(); }

void StoreFollower::Start() {
  if (!store_->IsShared() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    NameCurrentThread("store-follower");
    Run();
  });
}

void StoreFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status StoreFollower::Follow(const storage::CatalogueChange& change) {
  using Kind = storage::CatalogueChange::Kind;
  using What = storage::CatalogueChange::What;
  switch (change.kind) {
    case Kind::kChannel: {
      if (change.what != What::kUpdated) {
        charts_->SetChannelAudience(change.id, -1);
        return Status::OK();
      }
      Result<storage::ChannelRecord> channel = store_->GetChannel(change.id);
      if (channel.status().IsNotFound()) return Status::OK();  // deleted since
      if (!channel.ok()) return channel.status();
      charts_->SetChannelAudience(channel->id, channel->audience);
      return Status::OK();
    }
    case Kind::kPerformer: {
      // A merge or deletion leaves no song with the performer: its songs'
      // own changes say where they went.
      if (change.what != What::kUpdated) return Status::OK();
      Result<storage::PerformerRecord> performer = store_->GetPerformer(change.id);
      if (performer.status().IsNotFound()) return Status::OK();
      if (!performer.ok()) return performer.status();
      for (storage::SongId song : charts_->SongsOf(change.id)) {
        Result<storage::SongRecord> record = store_->GetSong(song);
        if (record.status().IsNotFound()) continue;
        if (!record.ok()) return record.status();
        charts_->RegisterSong(song, performer->name, record->title, performer->id);
      }
      return Status::OK();
    }
    case Kind::kSong: {
      if (change.what == What::kMerged) {
        // The target may be new here (created on another node, no play
        // seen yet): named before it ranks with the moved counts.
        if (!charts_->KnowsSong(change.into)) {
          SPINLOG_RETURN_IF_ERROR(Name(change.into));
        }
        charts_->MergeSong(change.id, change.into);
        return Status::OK();
      }
      if (change.what == What::kDeleted) {
        charts_->ForgetSong(change.id);
        return Status::OK();
      }
      return Name(change.id);
    }
  }
  return Status::OK();
}

Status StoreFollower::Name(storage::SongId id) {
  Result<storage::SongRecord> song = store_->GetSong(id);
  if (song.status().IsNotFound()) return Status::OK();  // gone since
  if (!song.ok()) return song.status();
  Result<storage::PerformerRecord> performer = store_->GetPerformer(song->performer_id);
  if (performer.status().IsNotFound()) return Status::OK();
  if (!performer.ok()) return performer.status();
  charts_->RegisterSong(song->id, performer->name, song->title, performer->id);
  return Status::OK();
}

Status StoreFollower::PollOnce() {
  std::lock_guard<std::mutex> poll(poll_mutex_);
  Status named = Status::OK();
  // Catalogue changes first: a song merged away is redirected before plays
  // that name it are counted (either order counts each play once).
  Status changed = store_->PollForeignCatalogueChanges([&](const storage::CatalogueChange& c) {
    const Status followed = Follow(c);
    if (!followed.ok() && named.ok()) named = followed;
    if (observer_) observer_(c);
  });
  if (!changed.ok()) return changed;
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
