// OpenScratchStore: a RocksDB store in a test's own directory, for tests
// that need a real store but not durability.
#pragma once

#include <memory>
#include <string>

#include "storage/rocksdb/rocksdb_store.h"

namespace spinlog::testing {

// Opens (creating) a store in `path` with unsynced writes (they still reach
// the operating system before a call returns). Throws, which fails the test,
// when the store cannot be opened.
inline std::unique_ptr<storage::Store> OpenScratchStore(const std::string& path) {
  storage::RocksDbStoreOptions options;
  options.path = path;
  options.sync_writes = false;
  return std::move(storage::OpenRocksDbStore(options)).value();
}

}  // namespace spinlog::testing
