#include "ingest/ndjson_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace spinlog::ingest {
namespace {

struct Line {
  std::size_t number;
  std::string text;
  bool too_long;
  bool operator==(const Line&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Line& line) {
  return out << line.number << ":'" << line.text << "'" << (line.too_long ? " (too long)" : "");
}

// Every line of `text`, read `max_read` bytes at a time in chunks of `chunk`.
std::vector<Line> Lines(const std::string& text, std::size_t max_read = SIZE_MAX,
                        std::size_t chunk = 64, std::size_t max_line = 1024) {
  std::unique_ptr<ByteSource> source = MakeStringSource("test", text, max_read);
  NdjsonReader reader(source.get(), NdjsonReaderOptions{max_line, chunk});
  std::vector<Line> lines;
  NdjsonLine line;
  for (;;) {
    Result<bool> more = reader.Next(&line);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    lines.push_back({line.number, std::string(line.text), line.too_long});
  }
  EXPECT_EQ(reader.bytes_read(), text.size());
  return lines;
}

TEST(NdjsonReader, SplitsLinesNumberedFromOne) {
  EXPECT_EQ(Lines("{\"a\":1}\n{\"b\":2}\n"),
            (std::vector<Line>{{1, "{\"a\":1}", false}, {2, "{\"b\":2}", false}}));
}

TEST(NdjsonReader, LastLineNeedsNoLineBreak) {
  EXPECT_EQ(Lines("a\nb"), (std::vector<Line>{{1, "a", false}, {2, "b", false}}));
}

TEST(NdjsonReader, EmptyInputHasNoLines) {
  EXPECT_TRUE(Lines("").empty());
  EXPECT_TRUE(Lines("\n\n \t\r\n").empty());
}

TEST(NdjsonReader, BlankLinesAreSkippedButCounted) {
  EXPECT_EQ(Lines("\na\n  \n\t\r\nb\n\n"), (std::vector<Line>{{2, "a", false}, {5, "b", false}}));
}

TEST(NdjsonReader, CrLfReadsLikeLf) {
  EXPECT_EQ(Lines("a\r\nb\r\n"), (std::vector<Line>{{1, "a", false}, {2, "b", false}}));
  // Only one '\r' before the line break belongs to it.
  EXPECT_EQ(Lines("a\r\r\n"), (std::vector<Line>{{1, "a\r", false}}));
}

TEST(NdjsonReader, ByteOrderMarkAtTheStartIsSkipped) {
  EXPECT_EQ(Lines("\xEF\xBB\xBF{}\n"), (std::vector<Line>{{1, "{}", false}}));
  // Elsewhere it is data, for the decoder to judge.
  EXPECT_EQ(Lines("{}\n\xEF\xBB\xBF{}\n"),
            (std::vector<Line>{{1, "{}", false}, {2, "\xEF\xBB\xBF{}", false}}));
}

TEST(NdjsonReader, LongLineIsFlaggedAndSkippedAndTheNextIsRead) {
  const std::string long_line(100, 'x');
  EXPECT_EQ(Lines("a\n" + long_line + "\nb\n", SIZE_MAX, 16, 50),
            (std::vector<Line>{{1, "a", false}, {2, "", true}, {3, "b", false}}));
  // At the very end, without a line break.
  EXPECT_EQ(Lines("a\n" + long_line, SIZE_MAX, 16, 50),
            (std::vector<Line>{{1, "a", false}, {2, "", true}}));
  // A line of exactly the limit is fine.
  EXPECT_EQ(Lines(std::string(50, 'y') + "\n", SIZE_MAX, 16, 50),
            (std::vector<Line>{{1, std::string(50, 'y'), false}}));
}

TEST(NdjsonReader, ChunkBoundariesDoNotMatter) {
  const std::string text = "\xEF\xBB\xBF{\"channel\":\"C\"}\r\n\n  \n{\"x\":\"" +
                           std::string(40, 'z') + "\"}\n{}\r\nlast";
  const std::vector<Line> expected = Lines(text);
  ASSERT_EQ(expected.size(), 4u);
  for (std::size_t max_read = 1; max_read <= 9; ++max_read) {
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u}) {
      EXPECT_EQ(Lines(text, max_read, chunk), expected) << max_read << " " << chunk;
    }
  }
}

class FailingSource final : public ByteSource {
 public:
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    if (!given_) {
      given_ = true;
      const std::string_view text = "a\nb";
      const std::size_t n = std::min(size, text.size());
      text.copy(buffer, n);
      return n;
    }
    return Status::IOError("cannot read failing: Input/output error");
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return std::nullopt; }

 private:
  std::string name_ = "failing";
  bool given_ = false;
};

TEST(NdjsonReader, ReadErrorIsReturned) {
  FailingSource source;
  NdjsonReader reader(&source);
  NdjsonLine line;
  Result<bool> first = reader.Next(&line);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(line.text, "a");
  Result<bool> second = reader.Next(&line);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIOError);
  EXPECT_EQ(second.status().message(), "cannot read failing: Input/output error");
}

}  // namespace
}  // namespace spinlog::ingest
