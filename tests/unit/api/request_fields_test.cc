#include "api/request_fields.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::api {
namespace {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

// The fields as (name, text) of every value of each name asked for.
std::vector<std::pair<std::string, std::string>> Dump(const RequestFields& fields,
                                                      std::initializer_list<std::string_view> names) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view name : names) {
    for (const FieldValue* v : fields.FindAll(name)) {
      EXPECT_EQ(v->kind, json::JsonKind::kString);
      out.emplace_back(v->name, v->text);
    }
  }
  return out;
}

TEST(RequestFields, FindIsTheFirstOfFindAll) {
  const Pairs pairs = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  const RequestFields fields = RequestFields::FromPairs(pairs);
  ASSERT_NE(fields.Find("a"), nullptr);
  EXPECT_EQ(fields.Find("a"), fields.FindAll("a").front());
  EXPECT_EQ(fields.Find("a")->text, "1");
  EXPECT_EQ(fields.Find("b")->text, "2");
  EXPECT_EQ(fields.Find("c"), nullptr);
  EXPECT_TRUE(fields.FindAll("c").empty());
}

TEST(RequestFields, AssignPairsHoldsWhatFromPairsHolds) {
  const Pairs longer = {{"channel", "A channel name longer than a short string"},
                        {"start", "2040-01-01T00:00:00"}, {"start", "again"}, {"x", ""}};
  const Pairs shorter = {{"title", "T"}, {"channel", "C"}};
  const std::initializer_list<std::string_view> names = {"channel", "start", "title", "x",
                                                         "missing"};
  RequestFields reused;
  for (const Pairs* pairs : {&longer, &shorter, &longer, &shorter}) {
    reused.AssignPairs(*pairs);
    EXPECT_EQ(Dump(reused, names), Dump(RequestFields::FromPairs(*pairs), names));
  }
  reused.AssignPairs({});
  EXPECT_EQ(reused.Find("channel"), nullptr);
}

}  // namespace
}  // namespace spinlog::api
