// StoreFollower: keeps a node's in-memory charts exact over a shared store
// (PostgreSQL, many nodes): every `interval` it takes the plays that other
// nodes created (Store::PollForeignPlays) and counts them as if this node
// had stored them, naming their songs first when they are new here. Before
// the plays it takes the catalogue updates, deletions and merges of other
// nodes (Store::PollForeignCatalogueChanges): merges move the charts'
// counts as a local merge does, renames relabel songs, channel changes
// reach the audiences; and an observer (the catalogue's caches) hears each.
//
// With an embedded store there is nothing to follow: Start does nothing.
//
// Thread-safety: Start and Stop from one thread; PollOnce may be called
// concurrently with the follower's own thread (polls take turns).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "charts/chart_service.h"
#include "storage/store.h"

namespace spinlog::charts {

class StoreFollower {
 public:
  // REQUIRES: `store` and `charts` outlive the follower.
  StoreFollower(storage::Store* store, ChartService* charts, std::chrono::milliseconds interval);
  ~StoreFollower();  // Stop()s
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  // Called with each catalogue change of another node, after the charts
  // followed it. Set before Start.
  void OnCatalogueChange(std::function<void(const storage::CatalogueChange&)> observer) {
    observer_ = std::move(observer);
  }

  // Starts polling on a thread of its own when the store is shared.
  void Start();
  // Stops polling and joins the thread.
  void Stop();

  // One poll: counts the plays other nodes created since the last one.
  // Returns the store's error (the next poll takes them then).
  Status PollOnce();

  // Polls that failed since the follower was made (for metrics and logs).
  std::uint64_t failures() const { return failures_.load(); }

 private:
  void Run();
  // Brings the charts in step with one change of another node.
  Status Follow(const storage::CatalogueChange& change);
  // Registers song `id` with its current names, read from the store.
  Status Name(storage::SongId id);

  storage::Store* const store_;
  ChartService* const charts_;
  const std::chrono::milliseconds interval_;
  std::mutex poll_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
  std::atomic<std::uint64_t> failures_{0};
  std::function<void(const storage::CatalogueChange&)> observer_;
};

}  // namespace spinlog::charts
