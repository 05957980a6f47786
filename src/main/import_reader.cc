#include "main/import_reader.h"

#include <algorithm>
#include <cctype>

#include "api/request_fields.h"

namespace spinlog {
namespace {

bool EndsWithIgnoringCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - suffix.size(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

api::v1::PlayItem InvalidItem(std::size_t line, std::string field, std::string problem) {
  api::v1::PlayItem item;
  item.line = line;
  item.problems.push_back({std::move(field), std::move(problem)});
  return item;
}

}  // namespace

ImportFormat ChooseFormat(std::string_view flag, std::string_view path) {
  if (flag == "csv") return ImportFormat::kCsv;
  if (flag == "ndjson") return ImportFormat::kNdjson;
  return EndsWithIgnoringCase(path, ".csv") ? ImportFormat::kCsv : ImportFormat::kNdjson;
}

ImportReader::ImportReader(ingest::ByteSource* source, ImportFormat format) : source_(source) {
  if (format == ImportFormat::kCsv) {
    csv_.emplace(source);
  } else {
    ndjson_.emplace(source);
  }
}

std::uint64_t ImportReader::bytes_read() const {
  return csv_ ? csv_->bytes_read() : ndjson_->bytes_read();
}

Result<bool> ImportReader::Next(api::v1::PlayItem* item) {
  return csv_ ? NextCsv(item) : NextNdjson(item);
}

Result<bool> ImportReader::NextNdjson(api::v1::PlayItem* item) {
  ingest::NdjsonLine line;
  SPINLOG_ASSIGN_OR_RETURN(bool more, ndjson_->Next(&line));
  if (more) *item = DecodeLine(line);
  return more;
}

api::v1::PlayItem ImportReader::DecodeLine(const ingest::NdjsonLine& line) {
  if (line.too_long) {
    return InvalidItem(line.number, "item",
                       "is longer than " +
                           std::to_string(ingest::NdjsonReaderOptions{}.max_line_bytes) +
                           " bytes");
  }
  return api::v1::DecodePlayItem(line.text, line.number);
}

Result<bool> ImportReader::ReadCsvHeader() {
  header_read_ = true;
  SPINLOG_ASSIGN_OR_RETURN(bool more, csv_->Next(&record_));
  if (!more) return false;
  const std::string where = source_->name() + ":" + std::to_string(record_.line) + ": ";
  if (!record_.error.empty()) {
    return Status::InvalidArgument(where + "malformed CSV header: " + record_.error);
  }
  for (std::size_t i = 0; i < record_.fields.size(); ++i) {
    std::string name(TrimSpaces(record_.fields[i]));
    if (name.empty()) {
      return Status::InvalidArgument(where + "CSV header: column " + std::to_string(i + 1) +
                                     " has no name");
    }
    if (std::find(header_.begin(), header_.end(), name) != header_.end()) {
      return Status::InvalidArgument(where + "CSV header: column '" + name + "' appears twice");
    }
    header_.push_back(std::move(name));
  }
  auto has = [this](std::string_view name) {
    return std::find(header_.begin(), header_.end(), name) != header_.end();
  };
  if (!has("start") || !has("end") || !(has("channel") || has("channel_id")) ||
      !(has("song_id") || (has("performer") && has("title")))) {
    std::string names;
    for (const std::string& name : header_) names += (names.empty() ? "" : ",") + name;
    return Status::InvalidArgument(
        where +
        "the CSV header must name the columns start, end, channel (or channel_id), and "
        "performer and title (or song_id); it names " +
        names);
  }
  return true;
}

Result<bool> ImportReader::NextCsv(api::v1::PlayItem* item) {
  if (!header_read_) {
    SPINLOG_ASSIGN_OR_RETURN(bool has_header, ReadCsvHeader());
    if (!has_header) return false;
  }
  for (;;) {
    SPINLOG_ASSIGN_OR_RETURN(bool more, csv_->Next(&record_));
    if (!more) return false;
    if (!record_.error.empty()) {
      *item = InvalidItem(record_.line, "row", record_.error);
      return true;
    }
    const bool blank = std::all_of(record_.fields.begin(), record_.fields.end(),
                                   [](std::string_view f) { return TrimSpaces(f).empty(); });
    if (blank) continue;
    if (record_.fields.size() != header_.size()) {
      *item = InvalidItem(record_.line, "row",
                          "has " + std::to_string(record_.fields.size()) +
                              " fields; the header names " + std::to_string(header_.size()));
      return true;
    }
    pairs_.clear();
    for (std::size_t i = 0; i < header_.size(); ++i) {
      // CSV has no null: an empty cell leaves the field out.
      if (!record_.fields[i].empty()) pairs_.emplace_back(header_[i], record_.fields[i]);
    }
    *item = api::v1::DecodePlayFields(api::RequestFields::FromPairs(pairs_), record_.line);
    return true;
  }
}

}  // namespace spinlog
