// ImportReader: one input of `spinlog import`, read record by record and
// decoded into plays by the same rules as POST /api/v1/plays
// (api::v1::DecodePlayItem for NDJSON lines, DecodePlayFields for CSV rows).
//
// CSV: the first record is a header naming the columns with the fields of a
// play (channel, performer, title, start, end, channel_id, song_id; others
// are ignored). An empty cell is an absent field, so one file may give some
// rows by names and others by ids. Rows with nothing but empty cells are
// skipped, like blank lines.
//
// Thread-safety: none; one thread uses a reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/v1/play_item.h"
#include "common/result.h"
#include "ingest/byte_source.h"
#include "ingest/csv_reader.h"
#include "ingest/ndjson_reader.h"

namespace spinlog {

enum class ImportFormat { kNdjson, kCsv };

// The format that `flag` names ("ndjson" or "csv"); when `flag` is empty, the
// one that the extension of `path` suggests: .csv (any case) is CSV,
// everything else (.ndjson, .jsonl, .json, stdin) NDJSON.
// REQUIRES: flag is "", "ndjson" or "csv"
ImportFormat ChooseFormat(std::string_view flag, std::string_view path);

class ImportReader {
 public:
  // REQUIRES: `source` outlives the reader.
  ImportReader(ingest::ByteSource* source, ImportFormat format);

  // Decodes the next record into *item (item->line is its line) and returns
  // true; returns false at the end of the input. Errors: the source's
  // IOError; InvalidArgument "NAME:1: ..." when a CSV header cannot be used.
  Result<bool> Next(api::v1::PlayItem* item);

  // For NDJSON inputs, which a caller may decode itself: the next line,
  // undecoded (false at the end of the input), and the general decoding of a
  // line, as Next would give it.
  bool is_ndjson() const { return ndjson_.has_value(); }
  // REQUIRES: is_ndjson()
  Result<bool> NextLine(ingest::NdjsonLine* line) { return ndjson_->Next(line); }
  static api::v1::PlayItem DecodeLine(const ingest::NdjsonLine& line);

  // Input bytes consumed so far.
  std::uint64_t bytes_read() const;

 private:
  Result<bool> NextNdjson(api::v1::PlayItem* item);
  Result<bool> NextCsv(api::v1::PlayItem* item);
  // Reads the header record into header_. False when the input is empty.
  Result<bool> ReadCsvHeader();

  ingest::ByteSource* source_;
  std::optional<ingest::NdjsonReader> ndjson_;
  std::optional<ingest::CsvReader> csv_;
  bool header_read_ = false;
  std::vector<std::string> header_;
  ingest::CsvRecord record_;
  std::vector<std::pair<std::string_view, std::string_view>> pairs_;
};

}  // namespace spinlog
