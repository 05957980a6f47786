// RocksDB's own log (warnings and errors of flushes, compactions and I/O)
// goes to spinlog's log instead of a LOG file in the data directory.
//
// Why: Debian's RocksDB is built with assertions, and it aborts the process
// when it writes again to a file whose previous write failed. On a full or
// failing disk its text log fails first, so with a LOG file the server would
// die on the next log line instead of refusing writes cleanly (/readyz 503,
// docs/operations.md). Only warnings and errors are passed on: RocksDB's
// informational lines (options, flush and compaction summaries) are many,
// and the figures operators watch are in /metrics.
#pragma once

#include <memory>

#include <rocksdb/env.h>

namespace spinlog::storage::rocks {

// A logger that passes RocksDB's warnings and errors to spinlog's log.
std::shared_ptr<rocksdb::Logger> NewSpinlogRocksDbLogger();

}  // namespace spinlog::storage::rocks
