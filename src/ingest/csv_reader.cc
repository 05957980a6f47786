#include "ingest/csv_reader.h"

#include <algorithm>

namespace spinlog::ingest {
namespace {

// Bytes past a problem that the parser may need to see it: after a closing
// quote, "\r" is fine only when "\n" follows. Reading that far beyond the
// record limit before judging a record too long makes the verdict the same
// whatever the chunk sizes.
constexpr std::size_t kLookahead = 2;

std::size_t CountLineBreaks(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Where an unquoted field starting at `from` ends: at ',' or '\n', or npos.
std::size_t FindFieldEnd(std::string_view data, std::size_t from) {
  for (std::size_t i = from; i < data.size(); ++i) {
    if (data[i] == ',' || data[i] == '\n') return i;
  }
  return std::string_view::npos;
}

}  // namespace

CsvReader::CsvReader(ByteSource* source, CsvReaderOptions options)
    : buffer_(source, options.chunk_bytes), options_(options) {}

CsvReader::Parse CsvReader::ParseRecord(std::string_view data, bool at_end, std::size_t* length,
                                        std::string* error) {
  storage_.clear();
  ends_.clear();
  if (data.substr(0, 1) == "\n" || data.substr(0, 2) == "\r\n") {
    *length = data[0] == '\n' ? 1 : 2;
    return Parse::kEmptyLine;
  }
  if (data == "\r") {
    // A lone '\r' at the end of the input is a line with nothing on it.
    if (!at_end) return Parse::kNeedMore;
    *length = 1;
    return Parse::kEmptyLine;
  }
  std::size_t pos = 0;
  for (;;) {
    if (pos < data.size() && data[pos] == '"') {
      ++pos;
      for (;;) {
        const std::size_t quote = data.find('"', pos);
        if (quote == std::string_view::npos) {
          if (!at_end) return Parse::kNeedMore;
          *error = "unterminated quoted field";
          *length = data.size();
          return Parse::kMalformed;
        }
        storage_.append(data.substr(pos, quote - pos));
        // A quote at the very end may be the first half of "".
        if (quote + 1 == data.size() && !at_end) return Parse::kNeedMore;
        if (quote + 1 < data.size() && data[quote + 1] == '"') {
          storage_.push_back('"');
          pos = quote + 2;
          continue;
        }
        pos = quote + 1;
        break;
      }
      ends_.push_back(storage_.size());
      if (pos == data.size()) {
        if (!at_end) return Parse::kNeedMore;
        *length = pos;
        return Parse::kRecord;
      }
      if (data[pos] == ',') {
        ++pos;
        continue;
      }
      if (data[pos] == '\n') {
        *length = pos + 1;
        return Parse::kRecord;
      }
      if (data[pos] == '\r') {
        if (pos + 1 == data.size()) {
          if (!at_end) return Parse::kNeedMore;
          *length = pos + 1;
          return Parse::kRecord;
        }
        if (data[pos + 1] == '\n') {
          *length = pos + 2;
          return Parse::kRecord;
        }
      }
      *error = "a quoted field must be followed by a comma or a line break";
      *length = pos;
      return Parse::kMalformed;
    }

    const std::size_t end = FindFieldEnd(data, pos);
    if (end == std::string_view::npos && !at_end) return Parse::kNeedMore;
    const std::size_t stop = end == std::string_view::npos ? data.size() : end;
    std::string_view field = data.substr(pos, stop - pos);
    // The '\r' of a "\r\n" line break (or of one at the very end) is no data.
    if ((end == std::string_view::npos || data[end] == '\n') && !field.empty() &&
        field.back() == '\r') {
      field.remove_suffix(1);
    }
    storage_.append(field);
    ends_.push_back(storage_.size());
    if (end == std::string_view::npos) {
      *length = data.size();
      return Parse::kRecord;
    }
    pos = end + 1;
    if (data[end] == '\n') {
      *length = pos;
      return Parse::kRecord;
    }
  }
}

Status CsvReader::SkipLine() {
  SPINLOG_RETURN_IF_ERROR(buffer_.SkipPastNewline());
  ++line_number_;
  return Status::OK();
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  if (!started_) {
    started_ = true;
    SPINLOG_RETURN_IF_ERROR(buffer_.SkipByteOrderMark());
  }
  for (;;) {
    const std::string_view data = buffer_.data();
    if (data.empty()) {
      SPINLOG_ASSIGN_OR_RETURN(bool more, buffer_.Fill());
      if (!more) return false;
      continue;
    }
    std::size_t length = 0;
    std::string error;
    Parse parsed = ParseRecord(data, buffer_.at_end(), &length, &error);
    const bool within_limit = data.size() <= options_.max_record_bytes ||
                              data.size() - options_.max_record_bytes <= kLookahead;
    if (parsed == Parse::kNeedMore && within_limit) {
      // At the end of the input the record is parsed once more, as final.
      SPINLOG_ASSIGN_OR_RETURN(bool more, buffer_.Fill());
      (void)more;
      continue;
    }
    record->line = line_number_;
    if (parsed != Parse::kEmptyLine &&
        (parsed == Parse::kNeedMore || length > options_.max_record_bytes)) {
      // Judged by the record alone, not by how much of it is buffered, so
      // that where reading resumes does not depend on chunk sizes.
      const std::size_t skipped = options_.max_record_bytes;
      line_number_ += CountLineBreaks(data.substr(0, skipped));
      buffer_.Consume(skipped);
      record->error =
          "record is longer than " + std::to_string(options_.max_record_bytes) + " bytes";
      record->fields.clear();
      SPINLOG_RETURN_IF_ERROR(SkipLine());
      return true;
    }
    line_number_ += CountLineBreaks(data.substr(0, length));
    buffer_.Consume(length);
    switch (parsed) {
      case Parse::kEmptyLine:
        continue;
      case Parse::kRecord: {
        record->error.clear();
        record->fields.clear();
        std::size_t begin = 0;
        for (std::size_t end : ends_) {
          record->fields.push_back(std::string_view(storage_).substr(begin, end - begin));
          begin = end;
        }
        return true;
      }
      case Parse::kMalformed:
        record->error = std::move(error);
        record->fields.clear();
        // Resume after the line break that follows the problem, so that a
        // stray quote costs its own record and not the rest of the input.
        SPINLOG_RETURN_IF_ERROR(SkipLine());
        return true;
      case Parse::kNeedMore:
        break;
    }
    return Status::Internal("CSV reader: unexpected parse state");
  }
}

}  // namespace spinlog::ingest
