// CsvReader: splits an input into CSV records (RFC 4180) and their fields,
// unquoting them, without interpreting any of them (the first record of an
// import file is its header; that is the caller's business).
//
// The language (RFC 4180, read leniently where the RFC is silent):
//   - Fields are separated by ','; a record ends at "\r\n" or "\n". The last
//     record needs no line break.
//   - A field that starts with '"' is quoted: it runs to the next '"' that is
//     not doubled, "" stands for one '"', and commas, '\r' and '\n' inside are
//     data. After its closing quote comes ',' or the end of the record;
//     anything else makes the record malformed.
//   - In an unquoted field every byte but ',', '\n' and a '\r' before '\n' is
//     data, '"' included (as spreadsheets write 12" single).
//   - A line with nothing on it is no record (it is counted, not returned).
//   - A UTF-8 byte order mark at the very start is skipped (spreadsheets
//     write one).
//   - Bytes are not checked for UTF-8 here; the decoder of each field does.
// A malformed record is returned with `error` set; reading then resumes after
// the next line break, so one bad record costs one record. A record longer
// than max_record_bytes (line break included) is malformed too ("longer than
// N bytes"), and reading resumes after the first line break at or after that
// many bytes; this keeps memory bounded by the limit plus one chunk.
//
// Thread-safety: none; one thread uses a reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/byte_source.h"

namespace spinlog::ingest {

struct CsvReaderOptions {
  // Longest record accepted, line breaks and quotes included. Default: 1 MiB
  std::size_t max_record_bytes = std::size_t{1} << 20;
  // Bytes asked of the source per read. Default: 4 MiB
  std::size_t chunk_bytes = InputBuffer::kDefaultChunkBytes;
};

struct CsvRecord {
  // The unquoted fields, in order. Valid until the next call to Next().
  // Empty when `error` is set.
  std::vector<std::string_view> fields;
  // The line the record starts on, from 1.
  std::size_t line = 0;
  // Why the record is malformed, e.g. "unterminated quoted field"; empty
  // when it is well formed.
  std::string error;
};

class CsvReader {
 public:
  // REQUIRES: `source` outlives the reader.
  explicit CsvReader(ByteSource* source, CsvReaderOptions options = {});

  // Sets *record to the next record and returns true; false at the end of
  // the input. Returns the source's IOError when reading fails (the reader
  // must not be used afterwards).
  Result<bool> Next(CsvRecord* record);

  // Bytes of the input consumed so far.
  std::uint64_t bytes_read() const { return buffer_.consumed(); }

 private:
  enum class Parse { kRecord, kEmptyLine, kNeedMore, kMalformed };

  // Parses one record at the start of `data` (`at_end`: nothing follows it)
  // into storage_ and ends_. Sets *length to the bytes it takes, line break
  // included, or for kMalformed to where the problem is, and *error to what
  // it is.
  Parse ParseRecord(std::string_view data, bool at_end, std::size_t* length, std::string* error);
  // Consumes input up to and including the next '\n', counting it.
  Status SkipLine();

  InputBuffer buffer_;
  CsvReaderOptions options_;
  // The unquoted fields of the current record, back to back; ends_[i] is
  // where field i ends in it. Reused from record to record.
  std::string storage_;
  std::vector<std::size_t> ends_;
  std::size_t line_number_ = 1;  // the line the next record starts on
  bool started_ = false;
};

}  // namespace spinlog::ingest
