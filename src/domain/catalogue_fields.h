// The rules for the fields of catalogue records beyond their names: country
// codes, dates, URLs, ISRCs, durations and text lengths. Each check appends
// one violation naming the field to a list, so that a client hears of every
// bad field at once (api/v1 answers them as 400).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/records.h"

namespace spinlog::domain {

// Longest description, in bytes of UTF-8.
inline constexpr std::size_t kMaxDescriptionBytes = 4096;
// Longest URL, in bytes.
inline constexpr std::size_t kMaxUrlBytes = 2048;
// Longest song, in seconds (one day).
inline constexpr std::int64_t kMaxDurationSeconds = 86'400;

// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (upper
// case: "SE"; the 249 codes of the standard as of 2024).
bool IsIsoCountryCode(std::string_view code);

// Each returns the stored form of the raw value of input field `field`, or
// appends a violation naming `field` and returns "". An empty raw value is
// valid and means "not given".
//   country: ISO 3166-1 alpha-2 in any case -> upper case.
std::string NormalizeCountry(std::string_view field, std::string_view raw,
                             std::vector<FieldViolation>* violations);
//   date: YYYY-MM-DD, a real calendar date (years 0001 to 9999).
std::string NormalizeDate(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations);
//   URL: absolute http:// or https:// with a host, no spaces or control
//   characters, at most kMaxUrlBytes.
std::string NormalizeUrl(std::string_view field, std::string_view raw,
                         std::vector<FieldViolation>* violations);
//   ISRC: CC-XXX-YY-NNNNN (2 letters, 3 letters or digits, 2 digits, 5
//   digits), dashes optional, any case -> the 12 characters in upper case.
std::string NormalizeIsrc(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations);
//   free text: valid UTF-8, at most `max_bytes`; trimmed.
std::string NormalizeText(std::string_view field, std::string_view raw, std::size_t max_bytes,
                          std::vector<FieldViolation>* violations);

// A change to a performer: unset fields stay as they are; "" clears an
// optional field. Raw values, checked by ApplyPerformerChange.
struct PerformerChange {
  std::optional<std::string> name;
  std::optional<std::string> country;
  std::optional<std::string> description;
  std::optional<std::string> date_of_birth;
  std::optional<std::string> website;
  std::optional<std::string> picture_url;
};

// A change to a song, as PerformerChange. duration_seconds 0 clears it.
struct SongChange {
  std::optional<storage::PerformerId> performer_id;
  std::optional<std::string> title;
  std::optional<std::int64_t> duration_seconds;
  std::optional<std::string> release;
  std::optional<std::string> isrc;
};

// Checks every field of `change` and applies the good ones to *record;
// appends a violation per bad field (then *record is partly changed and
// must not be stored).
void ApplyPerformerChange(const PerformerChange& change, storage::PerformerRecord* record,
                          std::vector<FieldViolation>* violations);
void ApplySongChange(const SongChange& change, storage::SongRecord* record,
                     std::vector<FieldViolation>* violations);

}  // namespace spinlog::domain
