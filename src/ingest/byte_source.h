// ByteSource: where an import reads its bytes from, a file, standard input, or
// (for tests and fuzzing) a string. InputBuffer: the large-chunk buffer that
// the record readers (ndjson_reader.h, csv_reader.h) scan in place, so that a
// record costs no allocation and no copy until it is decoded.
//
// Ownership: OpenFileSource's source owns its file descriptor (except stdin,
// which it leaves open). An InputBuffer borrows its source.
// Thread-safety: none; one thread reads a source at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace spinlog::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `size` bytes into `buffer`; returns how many, 0 only at the end
  // of the input. IOError "cannot read NAME: reason" when the system fails.
  virtual Result<std::size_t> Read(char* buffer, std::size_t size) = 0;

  // The input's name for messages: its path, or "<stdin>".
  virtual const std::string& name() const = 0;

  // The size in bytes when known before reading (a regular file); nullopt for
  // pipes, terminals and other streams.
  virtual std::optional<std::uint64_t> size() const = 0;
};

// Opens `path` for reading; "-" is standard input.
// Returns NotFound "cannot open PATH: No such file or directory", IOError
// "cannot open PATH: reason" for other failures, and InvalidArgument
// "PATH is a directory".
Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);

// A source over `text`, named `name`, that hands out at most `max_read` bytes
// per Read (small values exercise the readers' chunk boundaries).
// REQUIRES: max_read > 0
std::unique_ptr<ByteSource> MakeStringSource(std::string name, std::string text,
                                             std::size_t max_read = SIZE_MAX);

// The unread part of a source, read in chunks of `chunk_bytes`. Readers look
// at data(), Consume() what they have used, and Fill() when a record runs past
// the end of what is buffered.
class InputBuffer {
 public:
  // Default chunk: 4 MiB, large enough that the read(2) calls cost nothing.
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{4} << 20;

  // REQUIRES: `source` outlives the buffer; chunk_bytes > 0.
  explicit InputBuffer(ByteSource* source, std::size_t chunk_bytes = kDefaultChunkBytes);

  // The bytes read and not yet consumed. Valid until the next Fill().
  std::string_view data() const { return {buffer_.data() + begin_, end_ - begin_}; }

  // Marks the first `n` bytes of data() as used. REQUIRES: n <= data().size()
  void Consume(std::size_t n);

  // Appends at least one more byte to data() (moving what is unconsumed to
  // the front, and growing the buffer when data() already fills it).
  // Returns false, leaving data() as it was, at the end of the input; the
  // source's IOError when reading fails.
  Result<bool> Fill();

  // Consumes everything up to and including the next '\n' (or to the end of
  // the input). Returns the source's error.
  Status SkipPastNewline();

  // Consumes a UTF-8 byte order mark if the unread input starts with one.
  // Returns the source's error.
  Status SkipByteOrderMark();

  // True once Fill() has seen the end of the input.
  bool at_end() const { return at_end_; }

  // Bytes consumed so far (for progress).
  std::uint64_t consumed() const { return consumed_; }

  const ByteSource& source() const { return *source_; }

 private:
  ByteSource* source_;
  std::size_t chunk_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;
  bool at_end_ = false;
};

}  // namespace spinlog::ingest
