#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace spinlog::ingest {
namespace {

using namespace std::string_literals;

struct Row {
  std::size_t line;
  std::vector<std::string> fields;
  std::string error;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
  out << row.line << ":";
  for (const std::string& f : row.fields) out << " [" << f << "]";
  if (!row.error.empty()) out << " error: " << row.error;
  return out;
}

Row R(std::size_t line, std::vector<std::string> fields) { return {line, std::move(fields), ""}; }
Row Bad(std::size_t line, std::string error) { return {line, {}, std::move(error)}; }

// Every record of `text`, read `max_read` bytes at a time in chunks of `chunk`.
std::vector<Row> Rows(const std::string& text, std::size_t max_read = SIZE_MAX,
                      std::size_t chunk = 64, std::size_t max_record = 1024) {
  std::unique_ptr<ByteSource> source = MakeStringSource("test.csv", text, max_read);
  CsvReader reader(source.get(), CsvReaderOptions{max_record, chunk});
  std::vector<Row> rows;
  CsvRecord record;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    rows.push_back({record.line, {record.fields.begin(), record.fields.end()}, record.error});
  }
  EXPECT_EQ(reader.bytes_read(), text.size());
  return rows;
}

TEST(CsvReader, HeaderAndRows) {
  EXPECT_EQ(
      Rows("channel,title\nC1,Song\nC2,Other\n"),
      (std::vector<Row>{R(1, {"channel", "title"}), R(2, {"C1", "Song"}), R(3, {"C2", "Other"})}));
}

TEST(CsvReader, LastRecordNeedsNoLineBreak) {
  EXPECT_EQ(Rows("a,b\nc,d"), (std::vector<Row>{R(1, {"a", "b"}), R(2, {"c", "d"})}));
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  EXPECT_EQ(Rows(",\na,,b,\n,,\n"),
            (std::vector<Row>{R(1, {"", ""}), R(2, {"a", "", "b", ""}), R(3, {"", "", ""})}));
  EXPECT_EQ(Rows("a,"), (std::vector<Row>{R(1, {"a", ""})}));
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(Rows("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\n"),
            (std::vector<Row>{R(1, {"a,b", "say \"hi\"", "two\nlines", ""})}));
  EXPECT_EQ(Rows("\"crlf\r\ninside\"\r\n"), (std::vector<Row>{R(1, {"crlf\r\ninside"})}));
}

TEST(CsvReader, LineNumbersCountLineBreaksInsideQuotes) {
  EXPECT_EQ(Rows("h\n\"one\ntwo\nthree\"\nnext\n"),
            (std::vector<Row>{R(1, {"h"}), R(2, {"one\ntwo\nthree"}), R(5, {"next"})}));
}

TEST(CsvReader, CrLfLineBreaks) {
  EXPECT_EQ(Rows("a,b\r\nc,\"d\"\r\n"), (std::vector<Row>{R(1, {"a", "b"}), R(2, {"c", "d"})}));
  // A '\r' that ends no line is data.
  EXPECT_EQ(Rows("a\rb,c\n"), (std::vector<Row>{R(1, {"a\rb", "c"})}));
}

TEST(CsvReader, EmptyLinesAreNoRecordsButAreCounted) {
  EXPECT_EQ(Rows("\na\n\r\n\nb\n\n"), (std::vector<Row>{R(2, {"a"}), R(5, {"b"})}));
  EXPECT_TRUE(Rows("").empty());
  EXPECT_TRUE(Rows("\n\r\n").empty());
  // A quoted empty field is a record.
  EXPECT_EQ(Rows("\"\"\n"), (std::vector<Row>{R(1, {""})}));
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsData) {
  EXPECT_EQ(Rows("12\" single,x\n"), (std::vector<Row>{R(1, {"12\" single", "x"})}));
}

TEST(CsvReader, TextAfterClosingQuoteIsMalformedAndReadingResumes) {
  EXPECT_EQ(Rows("a\n\"Weird Al\" Yankovic,x\nb\n"),
            (std::vector<Row>{R(1, {"a"}),
                              Bad(2, "a quoted field must be followed by a comma or a line break"),
                              R(3, {"b"})}));
}

TEST(CsvReader, MalformedRecordSpanningLinesResumesAfterTheProblem) {
  EXPECT_EQ(Rows("\"x\ny\"z,1\nok\n"),
            (std::vector<Row>{Bad(1, "a quoted field must be followed by a comma or a line break"),
                              R(3, {"ok"})}));
}

TEST(CsvReader, UnterminatedQuoteIsMalformed) {
  EXPECT_EQ(Rows("a\n\"never closed,\nb\n"),
            (std::vector<Row>{R(1, {"a"}), Bad(2, "unterminated quoted field")}));
}

TEST(CsvReader, OverlongRecordIsMalformedAndReadingResumes) {
  const std::string long_field(100, 'x');
  EXPECT_EQ(Rows("a\n" + long_field + "\nb\n", SIZE_MAX, 16, 50),
            (std::vector<Row>{R(1, {"a"}), Bad(2, "record is longer than 50 bytes"), R(3, {"b"})}));
  // An unterminated quote cannot swallow more than the limit.
  std::string text = "\"open\n";
  for (int i = 0; i < 20; ++i) text += "line " + std::to_string(i) + "\n";
  std::vector<Row> rows = Rows(text, SIZE_MAX, 16, 50);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], Bad(1, "record is longer than 50 bytes"));
  EXPECT_EQ(rows.back(), R(21, {"line 19"}));
}

TEST(CsvReader, VerdictAtTheLimitDoesNotDependOnChunks) {
  // The problem ('\r' not followed by '\n' after a closing quote) sits at
  // exactly the limit; seeing it takes two bytes more.
  const std::string text = "a,\"" + std::string(16, 'q') + "\"\r\0\nnext\n"s;
  const std::vector<Row> expected{
      Bad(1, "a quoted field must be followed by a comma or a line break"), R(2, {"next"})};
  for (std::size_t max_read : {1u, 2u, 3u, 64u}) {
    EXPECT_EQ(Rows(text, max_read, 8, 20), expected) << max_read;
  }
}

TEST(CsvReader, RecordLimitMayBeUnlimited) {
  EXPECT_EQ(Rows("\"a\",b\n", SIZE_MAX, 64, SIZE_MAX), (std::vector<Row>{R(1, {"a", "b"})}));
}

TEST(CsvReader, ByteOrderMarkAtTheStartIsSkipped) {
  EXPECT_EQ(Rows("\xEF\xBB\xBF"
                 "a,b\n"),
            (std::vector<Row>{R(1, {"a", "b"})}));
}

TEST(CsvReader, ChunkBoundariesDoNotMatter) {
  const std::string text =
      "\xEF\xBB\xBF"
      "channel,performer,title,start,end\r\n"
      "C,\"P, the \"\"band\"\"\",\"multi\r\nline\",2020-01-01T00:00:00,2020-01-01T00:03:00\r\n"
      "\n"
      "\"bad\"x,1\n"
      "C,P,T,\"\",\n"
      "\"\"\"\",\"\"\r\n"
      "last,\"quoted\"";
  const std::vector<Row> expected = Rows(text);
  ASSERT_EQ(expected.size(), 6u);
  for (std::size_t max_read = 1; max_read <= 9; ++max_read) {
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u}) {
      EXPECT_EQ(Rows(text, max_read, chunk), expected) << max_read << " " << chunk;
    }
  }
}

}  // namespace
}  // namespace spinlog::ingest
