// Opening the store of a data directory that the previous server (a restart
// on an inherited socket) may still hold for a moment while it drains.
#pragma once

#include <chrono>
#include <memory>

#include "common/result.h"
#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog {

// Like storage::OpenRocksDbStore, but while the directory is in use by
// another spinlog process tries again (every 2 ms) for up to `wait`. Past it
// returns Unavailable "data directory DIR is still in use by another spinlog
// process after waiting N ms". Other errors return at once.
Result<std::unique_ptr<storage::Store>> OpenRocksDbStoreWaiting(
    const storage::RocksDbStoreOptions& options, std::chrono::milliseconds wait);

}  // namespace spinlog
