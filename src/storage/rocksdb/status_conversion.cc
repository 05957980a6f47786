#include "storage/rocksdb/status_conversion.h"

#include <string>

namespace spinlog::storage::rocks {

Status FromRocksDb(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::OK();
  std::string message(context);
  message += ": ";
  message += status.ToString();
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  if (status.IsCorruption()) return Status::Corruption(std::move(message));
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() ||
      status.IsShutdownInProgress() || status.IsAborted()) {
    return Status::Unavailable(std::move(message));
  }
  if (status.IsInvalidArgument() || status.IsNotSupported()) {
    return Status::InvalidArgument(std::move(message));
  }
  return Status::IOError(std::move(message));
}

bool IsLockHeld(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  // RocksDB 7.8 (env/fs_posix.cc): "While lock file: <path>/LOCK: Resource
  // temporarily unavailable" from another process, "lock hold by current
  // process" from this one.
  const std::string text = status.ToString();
  return text.find("While lock file") != std::string::npos ||
         text.find("lock hold by current process") != std::string::npos;
}

}  // namespace spinlog::storage::rocks
