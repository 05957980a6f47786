#include "ingest/ndjson_reader.h"

namespace spinlog::ingest {
namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

NdjsonReader::NdjsonReader(ByteSource* source, NdjsonReaderOptions options)
    : buffer_(source, options.chunk_bytes), options_(options) {}

Status NdjsonReader::SkipRestOfLine() { return buffer_.SkipPastNewline(); }

Result<bool> NdjsonReader::Next(NdjsonLine* line) {
  if (!started_) {
    started_ = true;
    SPINLOG_RETURN_IF_ERROR(buffer_.SkipByteOrderMark());
  }
  // Where to resume looking for '\n' after a Fill: the bytes before it were
  // searched already, which keeps a long line from being scanned repeatedly.
  std::size_t searched = 0;
  for (;;) {
    const std::string_view data = buffer_.data();
    const std::size_t eol = data.find('\n', searched);
    const bool found = eol != std::string_view::npos;
    const bool complete = found || buffer_.at_end();
    const std::size_t length = found ? eol : data.size();
    if (!complete && length <= options_.max_line_bytes) {
      searched = data.size();
      SPINLOG_ASSIGN_OR_RETURN(bool more, buffer_.Fill());
      // At the end, the loop comes round once more to take the last line.
      (void)more;
      continue;
    }
    if (length == 0 && !found) return false;  // nothing left
    ++line_number_;
    if (length > options_.max_line_bytes) {
      *line = NdjsonLine{{}, line_number_, true};
      buffer_.Consume(found ? length + 1 : length);
      if (!found) SPINLOG_RETURN_IF_ERROR(SkipRestOfLine());
      return true;
    }
    std::string_view text = data.substr(0, length);
    buffer_.Consume(found ? length + 1 : length);
    searched = 0;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (IsBlank(text)) continue;
    *line = NdjsonLine{text, line_number_, false};
    return true;
  }
}

}  // namespace spinlog::ingest
