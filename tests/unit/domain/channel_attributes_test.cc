// Channels' attributes: what an "attributes" input may hold (each problem a
// violation naming attributes.KEY), the one canonical text of a set of
// attributes, JSON merge patch semantics, the limits on the result, and
// CatalogueService applying patches to stored channels.
#include "domain/channel_attributes.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "charts/chart_service.h"
#include "domain/catalogue_service.h"
#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"

namespace spinlog::domain {
namespace {

using json::JsonKind;

// The canonical text of the object `raw` applied over `stored`, or the
// violations as "field: problem; ...".
std::string Patch(std::string_view stored, std::string_view raw, JsonKind kind = JsonKind::kObject) {
  std::vector<FieldViolation> violations;
  std::optional<AttributesPatch> patch = ReadAttributesPatch(kind, raw, &violations);
  std::string text;
  if (patch) {
    EXPECT_TRUE(violations.empty());
    Result<std::string> applied = ApplyAttributesPatch(stored, *patch, &violations);
    EXPECT_TRUE(applied.ok()) << applied.status().ToString();
    if (applied.ok()) text = *applied;
  }
  if (violations.empty()) return text;
  std::string out;
  for (const FieldViolation& v : violations) {
    if (!out.empty()) out += "; ";
    out += v.field + ": " + v.problem;
  }
  return out;
}

std::string Create(std::string_view raw) { return Patch("", raw); }

TEST(ChannelAttributes, EqualSetsGetOneCanonicalText) {
  const std::string canonical = R"({"a":"x","b":1,"c":true,"d":false,"e":-2.5})";
  EXPECT_EQ(Create(R"({"e":-2.5, "c":true,"b":1,"d":false,"a":"x"})"), canonical);
  EXPECT_EQ(Create(" {\n\"b\" : 1.0 ,\"a\":\"x\",\"e\":-25e-1,\"d\":false,\"c\":true}"), canonical);
  // One form per number: whole numbers as integers, others shortest.
  EXPECT_EQ(Create(R"({"n":1e3})"), R"({"n":1000})");
  EXPECT_EQ(Create(R"({"n":-0.0})"), R"({"n":0})");
  EXPECT_EQ(Create(R"({"n":0.10})"), R"({"n":0.1})");
  EXPECT_EQ(Create(R"({"n":9223372036854775807})"), R"({"n":9223372036854775807})");
  EXPECT_EQ(Create(R"({"n":-9223372036854775808})"), R"({"n":-9223372036854775808})");
  EXPECT_EQ(Create(R"({"n":9007199254740993})"), R"({"n":9007199254740993})");  // exact
  EXPECT_EQ(Create(R"({"n":4.5e15})"), R"({"n":4500000000000000})");
  const std::string big = Create(R"({"n":1e300})");
  EXPECT_EQ(Create(R"({"n":10e299})"), big);
  EXPECT_EQ(Patch(big, R"({})"), big) << "canonical text reads back as itself";
  // Keys sort bytewise (UTF-8 code point order); strings pass as given,
  // escaped only where JSON must.
  EXPECT_EQ(Create(R"({"é":"1","z":"2","Z":"3","a b":"\u00e9\n\"/"})"),
            "{\"Z\":\"3\",\"a b\":\"é\\n\\\"/\",\"z\":\"2\",\"é\":\"1\"}");
  // No attributes is "", however it is said.
  EXPECT_EQ(Create("{}"), "");
  EXPECT_EQ(Create(R"({"a":null})"), "");
  EXPECT_EQ(Patch("", "null", JsonKind::kNull), "");
}

TEST(ChannelAttributes, PatchesMergeAsRfc7396) {
  const std::string stored = R"({"a":"1","b":2,"c":true})";
  EXPECT_EQ(Patch(stored, R"({"b":3})"), R"({"a":"1","b":3,"c":true})");       // replace
  EXPECT_EQ(Patch(stored, R"({"d":"new"})"), R"({"a":"1","b":2,"c":true,"d":"new"})");  // add
  EXPECT_EQ(Patch(stored, R"({"a":null,"c":null})"), R"({"b":2})");            // remove
  EXPECT_EQ(Patch(stored, R"({"zz":null})"), stored);  // removing what is not there
  EXPECT_EQ(Patch(stored, R"({})"), stored);
  EXPECT_EQ(Patch(stored, R"({"a":null,"b":null,"c":null})"), "");
  EXPECT_EQ(Patch(stored, "null", JsonKind::kNull), "");  // clears every attribute
  EXPECT_EQ(Patch(stored, R"({"b":"two","a":null,"e":1})"), R"({"b":"two","c":true,"e":1})");
}

TEST(ChannelAttributes, BadKeysAndValuesAreNamed) {
  EXPECT_EQ(Create(R"({"a":{"b":1}})"),
            "attributes.a: must be a string, number, boolean or null, not object "
            "(attributes are one level deep)");
  EXPECT_EQ(Create(R"({"a":[1]})"),
            "attributes.a: must be a string, number, boolean or null, not array "
            "(attributes are one level deep)");
  EXPECT_EQ(Create(R"({"":1})"), "attributes: has an empty key; keys are 1 to 64 bytes");
  const std::string key65(65, 'k');
  EXPECT_EQ(Create("{\"" + key65 + "\":1}"),
            "attributes." + key65 + ": key is longer than 64 bytes");
  EXPECT_EQ(Create("{\"" + std::string(64, 'k') + "\":1}"),
            "{\"" + std::string(64, 'k') + "\":1}");
  // 64 bytes of UTF-8, not 64 characters: 32 two-byte characters fit, 33 do not.
  std::string wide;
  for (int i = 0; i < 33; ++i) wide += "é";
  EXPECT_EQ(Create("{\"" + wide + "\":1}"), "attributes." + wide + ": key is longer than 64 bytes");
  EXPECT_EQ(Create(R"({"a\u0001b":1})"), "attributes.a\x01" "b: key holds a control character");
  EXPECT_EQ(Create(R"({"a\u0085":1})"), "attributes.a\xC2\x85: key holds a control character");
  EXPECT_EQ(Create(R"({"a":"x","a":"y"})"), "attributes.a: is given more than once");
  EXPECT_EQ(Create("{\"v\":\"" + std::string(1025, 'v') + "\"}"),
            "attributes.v: is longer than 1024 bytes");
  EXPECT_EQ(Create("{\"v\":\"" + std::string(1024, 'v') + "\"}"),
            "{\"v\":\"" + std::string(1024, 'v') + "\"}");
  // Every bad key at once.
  EXPECT_EQ(Create(R"({"a":[],"ok":1,"b":{}})"),
            "attributes.a: must be a string, number, boolean or null, not array (attributes are "
            "one level deep); attributes.b: must be a string, number, boolean or null, not object "
            "(attributes are one level deep)");
  for (JsonKind kind : {JsonKind::kString, JsonKind::kNumber, JsonKind::kBool, JsonKind::kArray}) {
    std::vector<FieldViolation> violations;
    EXPECT_FALSE(ReadAttributesPatch(kind, "1", &violations));
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "attributes");
    EXPECT_EQ(violations[0].problem,
              std::string("must be a JSON object or null, not ") + json::JsonKindName(kind));
  }
}

std::string ManyKeys(int count, int first = 0) {
  std::string raw = "{";
  for (int i = first; i < first + count; ++i) {
    if (raw.size() > 1) raw += ",";
    raw += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return raw + "}";
}

TEST(ChannelAttributes, LimitsHoldForTheMergedResult) {
  const std::string full = Create(ManyKeys(64));
  ASSERT_EQ(full.front(), '{');
  EXPECT_EQ(Create(ManyKeys(65)), "attributes: may hold at most 64 keys; this would make 65");
  EXPECT_EQ(Patch(full, R"({"new":1})"), "attributes: may hold at most 64 keys; this would make 65");
  const std::string swapped = Patch(full, R"({"k0":null,"new":1})");  // still 64
  EXPECT_NE(swapped.find("\"new\":1"), std::string::npos) << swapped;
  EXPECT_EQ(swapped.find("\"k0\""), std::string::npos) << swapped;
  EXPECT_EQ(Patch(full, R"({"k1":"replaced"})").size(), full.size() + 9);  // "replaced" for 1
  // The whole object: at most 8 KiB of canonical text. Eight values of 1000
  // bytes fit; a ninth does not.
  std::string raw = "{";
  for (int i = 0; i < 9; ++i) {
    if (i > 0) raw += ",";
    raw += "\"v" + std::to_string(i) + "\":\"" + std::string(1000, 'x') + "\"";
  }
  raw += "}";
  const std::string text = Create(raw);
  EXPECT_EQ(text.rfind("attributes: may be at most 8192 bytes as compact JSON; this would make ", 0),
            0u)
      << text;
  const std::string eight = Create(raw.substr(0, raw.rfind(",\"v8\"")) + "}");
  EXPECT_EQ(eight.size(), 8 * 1007 + 7 + 2);  // "vN":"x..." each, commas, braces
  EXPECT_EQ(Patch(eight, R"({"v0":null})").size(), 7 * 1007 + 6 + 2);
}

TEST(ChannelAttributes, StoredTextParsesBackOrIsCorruption) {
  Result<Attributes> parsed = ParseAttributes(R"({"a":"x","b":1.5,"c":false})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 3u);
  EXPECT_EQ(parsed->at("b"), (AttributeValue{JsonKind::kNumber, "1.5"}));
  EXPECT_EQ(parsed->at("c"), (AttributeValue{JsonKind::kBool, "false"}));
  EXPECT_EQ(CanonicalAttributes(*parsed), R"({"a":"x","b":1.5,"c":false})");
  EXPECT_TRUE(ParseAttributes("")->empty());
  EXPECT_EQ(ParseAttributes("{").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseAttributes(R"({"a":[1]})").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseAttributes("[]").status().code(), StatusCode::kCorruption);
  json::JsonWriter w;
  WriteAttributes(w, {});
  EXPECT_EQ(w.Take(), "{}");
}

// CatalogueService over a real store: creation applies the patch over none,
// updates merge into what is stored, limits count the merged result, and a
// refused change leaves the channel as it was.
class CatalogueAttributesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::RocksDbStoreOptions options;
    options.path = dir_.path() + "/db";
    options.sync_writes = false;
    store_ = std::move(storage::OpenRocksDbStore(options)).value();
    charts_ = std::make_unique<charts::ChartService>(store_.get());
    catalogue_ = std::make_unique<CatalogueService>(store_.get(), charts_.get());
  }

  static CatalogueService::ChannelChange Change(std::string_view raw,
                                                JsonKind kind = JsonKind::kObject) {
    std::vector<FieldViolation> violations;
    CatalogueService::ChannelChange change;
    change.attributes = ReadAttributesPatch(kind, raw, &violations);
    EXPECT_TRUE(violations.empty());
    return change;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<charts::ChartService> charts_;
  std::unique_ptr<CatalogueService> catalogue_;
};

TEST_F(CatalogueAttributesTest, CreateAndUpdateMergeIntoTheStoredChannel) {
  CatalogueService::ChannelChange create = Change(R"({"b":2,"a":"x","gone":null})");
  create.name = "P4";
  bool created = false;
  Result<storage::ChannelRecord> channel = catalogue_->CreateChannel(create, &created);
  ASSERT_TRUE(channel.ok()) << channel.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(channel->attributes, R"({"a":"x","b":2})");

  // The existing name: answered unchanged, its attributes too.
  CatalogueService::ChannelChange again = Change(R"({"other":1})");
  again.name = "P4";
  EXPECT_EQ(catalogue_->CreateChannel(again, &created)->attributes, R"({"a":"x","b":2})");
  EXPECT_FALSE(created);

  Result<storage::ChannelRecord> updated =
      catalogue_->UpdateChannel(channel->id, Change(R"({"a":null,"c":true})"));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->attributes, R"({"b":2,"c":true})");
  EXPECT_EQ(store_->GetChannel(channel->id)->attributes, R"({"b":2,"c":true})");
  EXPECT_EQ(catalogue_->GetChannel(channel->id)->attributes, R"({"b":2,"c":true})");

  // Other fields leave attributes alone; attributes leave other fields alone.
  CatalogueService::ChannelChange audience;
  audience.audience = 10;
  EXPECT_EQ(catalogue_->UpdateChannel(channel->id, audience)->attributes, R"({"b":2,"c":true})");
  EXPECT_EQ(catalogue_->UpdateChannel(channel->id, Change(R"({"d":1})"))->audience, 10);

  // Over the limit after the merge: refused, nothing changes.
  Result<storage::ChannelRecord> full = catalogue_->UpdateChannel(channel->id, Change(ManyKeys(62)));
  ASSERT_FALSE(full.ok());
  ASSERT_EQ(full.status().violations().size(), 1u);
  EXPECT_EQ(full.status().violations()[0].field, "attributes");
  EXPECT_EQ(store_->GetChannel(channel->id)->attributes, R"({"b":2,"c":true,"d":1})");
  EXPECT_TRUE(catalogue_->UpdateChannel(channel->id, Change(ManyKeys(61))).ok());

  EXPECT_EQ(catalogue_->UpdateChannel(channel->id, Change("null", JsonKind::kNull))->attributes, "");
  EXPECT_EQ(store_->GetChannel(channel->id)->attributes, "");
}

}  // namespace
}  // namespace spinlog::domain
