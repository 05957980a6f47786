// The field rules of catalogue records: each accepts what it documents,
// normalises it, and refuses the rest with one violation naming the field.
#include "domain/catalogue_fields.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace spinlog::domain {
namespace {

using Normalizer = std::string (*)(std::string_view, std::string_view, std::vector<FieldViolation>*);

// The stored form of `raw`, or "REFUSED" with the field named.
std::string Check(Normalizer normalize, std::string_view raw) {
  std::vector<FieldViolation> violations;
  const std::string out = normalize("f", raw, &violations);
  if (violations.empty()) return out;
  EXPECT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "f");
  return "REFUSED";
}

TEST(CatalogueFields, CountriesAreAssignedIsoCodesInAnyCase) {
  EXPECT_EQ(Check(NormalizeCountry, "se"), "SE");
  EXPECT_EQ(Check(NormalizeCountry, "Gb"), "GB");
  EXPECT_EQ(Check(NormalizeCountry, "AX"), "AX");
  EXPECT_EQ(Check(NormalizeCountry, "ZW"), "ZW");
  EXPECT_EQ(Check(NormalizeCountry, ""), "");
  for (const char* bad : {"UK", "XX", "EU", "SWE", "S", "S1", "é", "ZZ"}) {
    EXPECT_EQ(Check(NormalizeCountry, bad), "REFUSED") << bad;
  }
  EXPECT_TRUE(IsIsoCountryCode("AD"));
  EXPECT_FALSE(IsIsoCountryCode("ad"));
}

TEST(CatalogueFields, DatesAreRealCalendarDates) {
  for (const char* good : {"2000-02-29", "1996-02-29", "0001-01-01", "9999-12-31", "2024-04-30"}) {
    EXPECT_EQ(Check(NormalizeDate, good), good);
  }
  for (const char* bad : {"1900-02-29", "2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
                          "0000-01-01", "2024-1-01", "24-01-01", "2024/01/01", "2024-01-01T00:00",
                          " 2024-01-01"}) {
    EXPECT_EQ(Check(NormalizeDate, bad), "REFUSED") << bad;
  }
}

TEST(CatalogueFields, UrlsAreAbsoluteHttpWithAHost) {
  for (const char* good : {"https://example.com", "http://a.example/p?q=1#f", "HTTPS://Example.com/x",
                           "https://example.com:8443/", "https://user@example.com/"}) {
    EXPECT_EQ(Check(NormalizeUrl, good), good);
  }
  for (const char* bad : {"ftp://example.com", "example.com", "https://", "https:///path",
                          "https://a b.example", "https://example.com/\x01", "javascript:alert(1)",
                          "https://:80/"}) {
    EXPECT_EQ(Check(NormalizeUrl, bad), "REFUSED") << bad;
  }
  EXPECT_EQ(Check(NormalizeUrl, "https://e.com/" + std::string(2100, 'a')), "REFUSED");
}

TEST(CatalogueFields, IsrcsAreTwelveCharactersDashesOptional) {
  EXPECT_EQ(Check(NormalizeIsrc, "SEABC2400001"), "SEABC2400001");
  EXPECT_EQ(Check(NormalizeIsrc, "se-abc-24-00001"), "SEABC2400001");
  EXPECT_EQ(Check(NormalizeIsrc, "USRC17607839"), "USRC17607839");
  EXPECT_EQ(Check(NormalizeIsrc, "GB-1A2-99-12345"), "GB1A29912345");
  for (const char* bad : {"SEABC240001", "SEABC24000011", "S1ABC2400001", "SEAB-2400001",
                          "SE-ABC-2A-00001", "SEABC24A0001", "SE-ABC2-4-00001", "SE ABC 24 00001"}) {
    EXPECT_EQ(Check(NormalizeIsrc, bad), "REFUSED") << bad;
  }
}

TEST(CatalogueFields, ChangesReportEveryBadFieldAndApplyTheGoodOnes) {
  SongChange change;
  change.title = "  Harbour ";
  change.duration_seconds = 0;  // clears
  change.release = "2024-02-30";
  change.isrc = "nope";
  storage::SongRecord song;
  song.duration_seconds = 100;
  std::vector<FieldViolation> violations;
  ApplySongChange(change, &song, &violations);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "release");
  EXPECT_EQ(violations[1].field, "isrc");
  EXPECT_EQ(song.title, "Harbour");
  EXPECT_EQ(song.duration_seconds, 0);

  PerformerChange performer_change;
  performer_change.description = std::string(4097, 'd');
  performer_change.name = "";
  storage::PerformerRecord performer;
  violations.clear();
  ApplyPerformerChange(performer_change, &performer, &violations);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "name");
  EXPECT_EQ(violations[1].field, "description");
}

}  // namespace
}  // namespace spinlog::domain
