// DirLock: an exclusive flock(2) on a file in the data directory, held for the
// life of a store so that two spinlog stores (in two processes, or twice in
// one) never open the same directory.
//
// Why our own file and not RocksDB's LOCK: RocksDB locks LOCK with fcntl(2),
// and a process loses every fcntl lock on a file as soon as it closes ANY
// descriptor of that file, so opening LOCK ourselves could silently drop
// RocksDB's lock. flock(2) on a separate file has no such interaction, and it
// conflicts between two opens in one process too, which fcntl does not.
//
// Thread-safety: a move-only value; not shared between threads.
#pragma once

#include <string>

#include "common/result.h"

namespace spinlog::storage::rocks {

class DirLock {
 public:
  // Locks <dir>/spinlog.lock, creating the file if needed.
  // Returns Unavailable "data directory <dir> is in use by another spinlog
  // process" when the lock is held, IOError when the file cannot be opened.
  static Result<DirLock> Acquire(const std::string& dir);

  DirLock(DirLock&& other) noexcept;
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  // Releases the lock.
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}

  int fd_ = -1;
};

// The message of the Unavailable status for a data directory in use.
std::string InUseMessage(const std::string& dir);

}  // namespace spinlog::storage::rocks
