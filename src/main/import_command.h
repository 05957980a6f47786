// `spinlog import`: loads plays from NDJSON or CSV files (or stdin) straight
// into a data directory that no server has open (or, with --store, into a
// shared PostgreSQL store while its nodes serve), with the rules of
// POST /api/v1/plays: missing catalogue entries are created, a play already
// stored at its (channel, start) is a duplicate (nothing changes) or a
// conflict, and a bad record is reported by file and line while the rest is
// stored. Running the same import twice creates nothing the second time.
//
// Writes are not synced one by one; the write-ahead log is synced once at the
// end, before the summary is printed: a finished import is on disk. An import
// that is killed may leave part of its input stored; running it again
// completes it (what is stored counts as duplicates).
#pragma once

#include <string>
#include <vector>

namespace spinlog {

struct ImportOptions {
  // Data directory of the embedded store, created when missing. Default: ./data
  std::string data_dir = "./data";
  // A shared store (postgresql://...) instead of data_dir: batches of
  // 10,000 plays, each one multi-row insert and one transaction, while
  // nodes keep serving (their charts follow). Default: "" (data_dir)
  std::string store;
  // "ndjson", "csv", or "" to choose by each file's extension (.csv is CSV,
  // anything else NDJSON). Default: ""
  std::string format;
  // The inputs, read in order; "-" is standard input. Default: none (required)
  std::vector<std::string> files;
};

// Runs the import and prints its summary on stdout (and, when stderr is a
// terminal, a progress line there while it runs). Returns the exit code:
// 0 when every input was read to its end, even if some records were invalid
// or conflicts (the summary lists them); 1 when an input cannot be opened or
// read, a CSV header is unusable, or the store cannot be opened (e.g. another
// spinlog process holds the directory) or written; the reason is printed as
// one line on stderr.
int RunImport(const ImportOptions& options);

}  // namespace spinlog
