// The embedded storage backend: a Store kept in a RocksDB database in one data
// directory. This header is the backend's whole public surface and includes
// no RocksDB header, so that only files in this folder compile against it.
//
// One process owns a data directory at a time: opening takes an exclusive
// lock on <path>/spinlog.lock, released when the store is destroyed.
//
// Ownership: the returned Store owns the database; destroying it closes the
// database (syncing the WAL first when writes are not synced).
// Thread-safety: the returned Store is thread-safe, as store.h requires.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/store.h"

namespace spinlog::storage {

struct RocksDbStoreOptions {
  // The data directory; created (with missing parents) when it does not exist.
  // Default: "" (must be set)
  std::string path;

  // When true, every write that a Store call acknowledges has its WAL synced
  // (fsync) first, so it survives a power loss. When false, writes reach the
  // operating system before the call returns (they survive a crash of the
  // process, not of the machine) and Store::Flush() syncs them.
  // Default: true
  bool sync_writes = true;

  // Memory for uncompressed data blocks, index and filter blocks, shared by
  // all column families. Reads of recent weeks are served from here.
  // Default: 128 MiB
  std::size_t block_cache_bytes = std::size_t{128} << 20;

  // Once Store::StartSettling was called: how long no write may come before
  // the store compacts what flushes and imports left in level 0 (work the
  // next writes would otherwise pay for).
  // Default: 1 s
  std::chrono::milliseconds settle_after_quiet{1000};
};

// Opens (creating if missing) the store in options.path.
// Returns:
//   InvalidArgument  options.path is empty, or the directory holds a database
//                    that this build cannot read (unknown column families or
//                    storage format version);
//   IOError          "cannot create data directory X: reason", or RocksDB
//                    failed to open the database;
//   Unavailable      "data directory X is in use by another spinlog process";
//   Corruption       the database's files are damaged.
Result<std::unique_ptr<Store>> OpenRocksDbStore(const RocksDbStoreOptions& options);

}  // namespace spinlog::storage
