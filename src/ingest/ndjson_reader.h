// NdjsonReader: splits an input into its lines, the records of NDJSON (JSON
// Lines), numbering them from 1, without decoding them (that is the caller's
// job) and without copying them.
//
// A line ends at '\n'; a '\r' before it is dropped, so CRLF files read the
// same. Blank lines (only spaces, tabs and '\r') are skipped but counted. A
// UTF-8 byte order mark at the very start is skipped. The last line needs no
// '\n'. A line longer than max_line_bytes is returned with too_long set and
// no text, and memory stays bounded by about that limit plus one chunk.
//
// Thread-safety: none; one thread uses a reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "ingest/byte_source.h"

namespace spinlog::ingest {

struct NdjsonReaderOptions {
  // Longest line returned with its text. Default: 1 MiB
  std::size_t max_line_bytes = std::size_t{1} << 20;
  // Bytes asked of the source per read. Default: 4 MiB
  std::size_t chunk_bytes = InputBuffer::kDefaultChunkBytes;
};

struct NdjsonLine {
  // The line without its line break. Valid until the next call to Next().
  std::string_view text;
  // Line number in the input, from 1.
  std::size_t number = 0;
  // True when the line was longer than max_line_bytes; text is then empty.
  bool too_long = false;
};

class NdjsonReader {
 public:
  // REQUIRES: `source` outlives the reader.
  explicit NdjsonReader(ByteSource* source, NdjsonReaderOptions options = {});

  // Sets *line to the next line that is not blank and returns true; returns
  // false at the end of the input. Returns the source's IOError when reading
  // fails (the reader must not be used afterwards).
  Result<bool> Next(NdjsonLine* line);

  // Bytes of the input consumed so far.
  std::uint64_t bytes_read() const { return buffer_.consumed(); }

 private:
  // Consumes the rest of an over-long line, up to and including its '\n'.
  Status SkipRestOfLine();

  InputBuffer buffer_;
  NdjsonReaderOptions options_;
  std::size_t line_number_ = 0;
  bool started_ = false;
};

}  // namespace spinlog::ingest
