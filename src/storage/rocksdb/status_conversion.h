// Turns a rocksdb::Status into our Status, keeping what was being done (an
// operation and usually a path or key kind) in the message, because RocksDB's
// own text rarely says which of our calls failed.
//
// Thread-safety: free functions over values.
#pragma once

#include <rocksdb/status.h>

#include <string_view>

#include "common/status.h"

namespace spinlog::storage::rocks {

// OK stays OK. Otherwise the code follows the kind of failure:
//   NotFound -> NotFound, Corruption -> Corruption,
//   Busy/TimedOut/TryAgain/ShutdownInProgress/Aborted -> Unavailable,
//   InvalidArgument/NotSupported -> InvalidArgument, anything else -> IOError;
// and the message is "<context>: <RocksDB's message>".
Status FromRocksDb(const rocksdb::Status& status, std::string_view context);

// True when `status` is RocksDB refusing to open a database whose LOCK file is
// held, by this process or another (both are IOErrors that only their text
// tells apart from other I/O failures).
bool IsLockHeld(const rocksdb::Status& status);

}  // namespace spinlog::storage::rocks
