#include "ingest/import_progress.h"

#include <gtest/gtest.h>

namespace spinlog::ingest {
namespace {

TEST(ImportProgress, CountsHaveThousandsSeparators) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
}

TEST(ImportProgress, KnownSizeShowsPercentAndEta) {
  ProgressSnapshot s;
  s.records = 500'000;
  s.bytes = 25;
  s.total_bytes = 100;
  s.seconds = 2;
  // 25 bytes in 2 s: 75 more take 6 s.
  EXPECT_EQ(FormatProgress(s), "500,000 records  250,000 records/s  25%  ETA 6s");
  s.bytes = 1;
  s.seconds = 1;
  EXPECT_EQ(FormatProgress(s), "500,000 records  500,000 records/s  1%  ETA 1m39s");
  s.seconds = 100;
  EXPECT_EQ(FormatProgress(s), "500,000 records  5,000 records/s  1%  ETA 2h45m");
}

TEST(ImportProgress, UnknownSizeShowsRecordsOnly) {
  ProgressSnapshot s;
  s.records = 1500;
  s.bytes = 10;
  s.seconds = 0.5;
  EXPECT_EQ(FormatProgress(s), "1,500 records  3,000 records/s");
  s.seconds = 0;
  EXPECT_EQ(FormatProgress(s), "1,500 records");
}

TEST(ImportProgress, NothingReadYetHasNoEta) {
  ProgressSnapshot s;
  s.total_bytes = 100;
  s.seconds = 1;
  EXPECT_EQ(FormatProgress(s), "0 records  0 records/s  0%");
}

TEST(ImportProgress, ReporterWritesLinesInPlaceAndErasesThem) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    ProgressReporter reporter(out, 10, std::chrono::milliseconds(5));
    reporter.Update(7, 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    reporter.Stop();
  }
  std::rewind(out);
  std::string written;
  char buffer[256];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), out)) > 0) written.append(buffer, n);
  std::fclose(out);
  EXPECT_NE(written.find("\r7 records"), std::string::npos) << written;
  EXPECT_NE(written.find("50%"), std::string::npos) << written;
  EXPECT_EQ(written.substr(written.size() - 4), "\r\x1b[K");
}

}  // namespace
}  // namespace spinlog::ingest
