// libFuzzer target for the import readers of the ingest module: CsvReader
// (and NdjsonReader, which shares its buffering) on arbitrary bytes.
//
// Checks, any failure of which calls abort():
//   - reading in tiny pieces (1..16 bytes per read, chunks of 1..32 bytes)
//     gives exactly what reading it whole gives: chunk boundaries, over-long
//     records included, never change a record, its line or its error;
//   - every byte is consumed, line numbers grow and stay within the input;
//   - a well-formed CSV record written back with every field quoted reads
//     back as the same fields.
//
// The first two bytes choose the read and chunk sizes and the record limit;
// the rest is the input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/ndjson_reader.h"

namespace spinlog::ingest {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "csv_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

struct Row {
  std::size_t line = 0;
  std::vector<std::string> fields;
  std::string error;
  bool operator==(const Row&) const = default;
};

std::vector<Row> ReadCsv(const std::string& text, std::size_t max_read, std::size_t chunk,
                         std::size_t max_record) {
  std::unique_ptr<ByteSource> source = MakeStringSource("fuzz.csv", text, max_read);
  CsvReader reader(source.get(), CsvReaderOptions{max_record, chunk});
  std::vector<Row> rows;
  CsvRecord record;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    Check(more.ok(), "a string source never fails");
    if (!*more) break;
    Check(record.error.empty() || record.fields.empty(), "a malformed record has no fields");
    Check(!record.error.empty() || !record.fields.empty(), "a record has a field");
    rows.push_back({record.line, {record.fields.begin(), record.fields.end()}, record.error});
  }
  Check(reader.bytes_read() == text.size(), "CSV: every byte is consumed");
  return rows;
}

std::vector<std::pair<std::size_t, std::string>> ReadNdjson(const std::string& text,
                                                            std::size_t max_read, std::size_t chunk,
                                                            std::size_t max_line) {
  std::unique_ptr<ByteSource> source = MakeStringSource("fuzz.ndjson", text, max_read);
  NdjsonReader reader(source.get(), NdjsonReaderOptions{max_line, chunk});
  std::vector<std::pair<std::size_t, std::string>> lines;
  NdjsonLine line;
  for (;;) {
    Result<bool> more = reader.Next(&line);
    Check(more.ok(), "a string source never fails");
    if (!*more) break;
    Check(line.text.size() <= max_line, "NDJSON: lines respect the limit");
    Check(line.text.find('\n') == std::string_view::npos, "NDJSON: no line break in a line");
    lines.emplace_back(line.number, line.too_long ? "<too long>" : std::string(line.text));
  }
  Check(reader.bytes_read() == text.size(), "NDJSON: every byte is consumed");
  return lines;
}

std::string QuoteAll(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : fields[i]) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\n";
}

}  // namespace
}  // namespace spinlog::ingest

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::ingest;
  if (size < 2) return 0;
  const std::size_t max_read = 1 + data[0] % 16;
  const std::size_t chunk = 1 + data[1] % 32;
  const std::size_t max_record = 4 + (data[0] >> 4) * 8;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::size_t line_breaks = 0;
  for (char c : text) line_breaks += c == '\n';

  // One chunk holds it all (and costs no more to allocate than the input).
  const std::size_t whole_chunk = text.size() + 1;
  const std::vector<Row> whole = ReadCsv(text, SIZE_MAX, whole_chunk, max_record);
  Check(ReadCsv(text, max_read, chunk, max_record) == whole, "CSV: chunking changes nothing");
  std::size_t previous_line = 0;
  for (const Row& row : whole) {
    Check(row.line > previous_line, "CSV: lines grow");
    Check(row.line <= line_breaks + 1, "CSV: lines stay within the input");
    previous_line = row.line;
    if (!row.error.empty()) continue;
    const std::vector<Row> again = ReadCsv(QuoteAll(row.fields), SIZE_MAX, 64, SIZE_MAX);
    Check(again.size() == 1 && again[0].fields == row.fields, "CSV: quoted round trip");
  }

  const auto lines = ReadNdjson(text, SIZE_MAX, whole_chunk, max_record);
  Check(ReadNdjson(text, max_read, chunk, max_record) == lines, "NDJSON: chunking changes nothing");
  previous_line = 0;
  for (const auto& [number, line] : lines) {
    Check(number > previous_line && number <= line_breaks + 1, "NDJSON: lines grow, within input");
    previous_line = number;
  }
  return 0;
}
