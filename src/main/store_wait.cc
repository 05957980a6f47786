#include "main/store_wait.h"

#include <string>
#include <thread>

#include "storage/rocksdb/dir_lock.h"

namespace spinlog {

Result<std::unique_ptr<storage::Store>> OpenRocksDbStoreWaiting(
    const storage::RocksDbStoreOptions& options, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  // Every wait is at most this long past the moment the lock is released:
  // a part of the restart's pause.
  constexpr std::chrono::milliseconds kPoll{2};
  while (true) {
    Result<std::unique_ptr<storage::Store>> opened = storage::OpenRocksDbStore(options);
    const bool in_use = !opened.ok() && opened.status().code() == StatusCode::kUnavailable &&
                        opened.status().message() == storage::rocks::InUseMessage(options.path);
    if (!in_use) return opened;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable("data directory " + options.path +
                                 " is still in use by another spinlog process after waiting " +
                                 std::to_string(wait.count()) + " ms");
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace spinlog
