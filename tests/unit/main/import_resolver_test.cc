// ImportResolver's fast path must give what the general path (DecodePlayItem,
// then Resolve) gives for every line, and must create no catalogue entry for
// a line the general path calls invalid.
#include "main/import_resolver.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/v1/play_item.h"
#include "charts/chart_service.h"
#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"

namespace spinlog {
namespace {

// A store with its catalogue, as `spinlog import` opens them.
struct Catalogue {
  explicit Catalogue(const std::string& path) {
    storage::RocksDbStoreOptions options;
    options.path = path;
    options.sync_writes = false;
    store = std::move(storage::OpenRocksDbStore(options)).value();
    charts = std::make_unique<charts::ChartService>(store.get());
    service = std::make_unique<domain::CatalogueService>(store.get(), charts.get());
  }
  // Every channel and song as "name" / "performer|title", in id order.
  std::vector<std::string> Contents() {
    std::vector<std::string> out;
    EXPECT_TRUE(store->ForEachChannel([&](const storage::ChannelRecord& c) {
      out.push_back("channel " + std::to_string(c.id) + " " + c.name);
    }).ok());
    EXPECT_TRUE(store->ForEachSong([&](const storage::SongRecord& s) {
      out.push_back("song " + std::to_string(s.id) + " " + std::to_string(s.performer_id) + "|" +
                    s.title);
    }).ok());
    return out;
  }
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<charts::ChartService> charts;
  std::unique_ptr<domain::CatalogueService> service;
};

// "created <channel> <song> <start> <end>" or "invalid <problems>".
std::string General(ImportResolver& resolver, const std::string& line) {
  api::v1::PlayItem item = api::v1::DecodePlayItem(line, 1);
  std::vector<FieldViolation> problems = item.problems;
  storage::PlayRecord record;
  if (item.play) {
    EXPECT_TRUE(resolver.Resolve(*item.play, &record, &problems).ok());
  }
  if (!problems.empty()) {
    std::string text = "invalid";
    for (const FieldViolation& v : problems) text += " " + v.field + ": " + v.problem + ";";
    return text;
  }
  return "play " + std::to_string(record.channel_id) + " " + std::to_string(record.song_id) + " " +
         std::to_string(record.start) + " " + std::to_string(record.end);
}

std::string Fast(ImportResolver& resolver, const std::string& line, bool* took_fast_path) {
  storage::PlayRecord record;
  Result<bool> resolved = resolver.TryResolveLine(line, &record);
  EXPECT_TRUE(resolved.ok());
  *took_fast_path = resolved.ok() && *resolved;
  if (!*took_fast_path) return General(resolver, line);
  return "play " + std::to_string(record.channel_id) + " " + std::to_string(record.song_id) + " " +
         std::to_string(record.start) + " " + std::to_string(record.end);
}

TEST(ImportResolver, FastPathEqualsTheGeneralPathLineByLine) {
  testing::TempDir dir;
  Catalogue general_catalogue(dir.path() + "/general");
  Catalogue fast_catalogue(dir.path() + "/fast");
  ImportResolver general(general_catalogue.service.get());
  ImportResolver fast(fast_catalogue.service.get());
  const std::string too_long(1100, 'x');
  struct Line {
    std::string text;
    bool fast_path;  // whether the fast path should take it
  };
  const std::vector<Line> lines = {
      {R"({"channel":"C1","performer":"P","title":"T","start":"2020-01-01T00:00:00","end":"2020-01-01T00:03:00"})", true},
      // Same names again, in another member order, times with zones and fractions.
      {R"({"end":"2020-01-01T01:03:00.9+01:00","title":"T","start":"2020-01-01T00:00:00.5Z","performer":"P","channel":"C1"})", true},
      // Names that normalise: spaces trimmed, NFD to NFC, escapes.
      {R"({"channel":"  C1 ","performer":"Pe\u0301","title":"T","start":"2020-01-02","end":"2020-01-02T00:01:00"})", true},
      {R"({"channel":"C1","performer":"P\u00e9","title":"T","start":"2020-01-03","end":"2020-01-03T00:01:00"})", true},
      // Invalid names: no catalogue entry may appear for them.
      {R"({"channel":"NewChannel","performer":"P","title":"   ","start":"2020-01-04","end":"2020-01-04T00:01:00"})", false},
      {R"({"channel":"   ","performer":"NewPerformer","title":"T","start":"2020-01-04","end":"2020-01-04T00:01:00"})", false},
      {R"({"channel":"C1","performer":")" + too_long + R"(","title":"T","start":"2020-01-04","end":"2020-01-04T00:01:00"})", false},
      // Bad times, and a valid line repeating an invalid line's names.
      {R"({"channel":"C2","performer":"P2","title":"T2","start":"2020-01-05","end":"2020-01-04"})", false},
      {R"({"channel":"C2","performer":"P2","title":"T2","start":"2020-01-05","end":"2020-01-07"})", false},
      {R"({"channel":"C2","performer":"P2","title":"T2","start":"yesterday","end":"2020-01-07"})", false},
      {R"({"channel":"C1","performer":"P","title":"   ","start":"2020-01-04","end":"2020-01-04T00:01:00"})", false},
      {R"({"channel":"C2","performer":"P2","title":"T2","start":"2020-01-05","end":"2020-01-05T00:04:00"})", true},
      // Shapes the fast path leaves alone.
      {R"({"channel":"C2","performer":"P2","title":"T2","start":"2020-01-06","end":"2020-01-06T00:04:00","x":"y"})", false},
      {R"({"channel":"C2","channel":"C3","performer":"P2","title":"T2","start":"2020-01-06"})", false},
      {R"({"channel_id":"1","performer":"P2","title":"T2","start":"2020-01-06","end":"2020-01-06T00:04:00"})", false},
      {R"({"channel_id":1,"song_id":1,"start":"2020-01-06","end":"2020-01-06T00:04:00"})", false},
      {R"({"channel":"C2","performer":"P2","title":2,"start":"2020-01-06","end":"2020-01-06T00:04:00"})", false},
      {R"(["not an object"])", false},
      {R"({"channel":"C2")", false},
  };
  for (const Line& line : lines) {
    SCOPED_TRACE(line.text);
    bool took_fast_path = false;
    EXPECT_EQ(Fast(fast, line.text, &took_fast_path), General(general, line.text));
    EXPECT_EQ(took_fast_path, line.fast_path);
    EXPECT_EQ(fast_catalogue.Contents(), general_catalogue.Contents());
  }
  // The invalid lines created nothing: C1, C2 and their two songs, P/Pé's three.
  EXPECT_EQ(fast_catalogue.Contents().size(), 2u + 3u);
}

}  // namespace
}  // namespace spinlog
