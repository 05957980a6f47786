#include "domain/catalogue_fields.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/names.h"
#include "text/quoting.h"
#include "text/utf8.h"

namespace spinlog::domain {
namespace {

// ISO 3166-1 alpha-2, officially assigned codes, sorted.
constexpr std::array<std::string_view, 249> kCountryCodes = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW",
    "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN",
    "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG",
    "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI",
    "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
    "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR",
    "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
    "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
    "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
    "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
    "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR",
    "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD",
    "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::string Upper(std::string_view raw) {
  std::string out(raw);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void Violation(std::vector<FieldViolation>* violations, std::string_view field,
               std::string problem) {
  violations->push_back({std::string(field), std::move(problem)});
}

}  // namespace

bool IsIsoCountryCode(std::string_view code) {
  return std::binary_search(kCountryCodes.begin(), kCountryCodes.end(), code);
}

std::string NormalizeCountry(std::string_view field, std::string_view raw,
                             std::vector<FieldViolation>* violations) {
  if (raw.empty()) return "";
  std::string code = Upper(raw);
  if (code.size() != 2 || !IsIsoCountryCode(code)) {
    Violation(violations, field,
              "must be an ISO 3166-1 alpha-2 country code such as 'SE', not " +
                  text::QuoteForMessage(raw));
    return "";
  }
  return code;
}

std::string NormalizeDate(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations) {
  if (raw.empty()) return "";
  const auto bad = [&] {
    Violation(violations, field,
              "must be a date YYYY-MM-DD such as '1975-06-01', not " + text::QuoteForMessage(raw));
    return std::string();
  };
  if (raw.size() != 10 || raw[4] != '-' || raw[7] != '-') return bad();
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(raw[i])) return bad();
  }
  const int year = (raw[0] - '0') * 1000 + (raw[1] - '0') * 100 + (raw[2] - '0') * 10 + (raw[3] - '0');
  const int month = (raw[5] - '0') * 10 + (raw[6] - '0');
  const int day = (raw[8] - '0') * 10 + (raw[9] - '0');
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) {
    return bad();
  }
  return std::string(raw);
}

std::string NormalizeUrl(std::string_view field, std::string_view raw,
                         std::vector<FieldViolation>* violations) {
  if (raw.empty()) return "";
  const auto bad = [&](std::string problem) {
    Violation(violations, field, std::move(problem));
    return std::string();
  };
  if (raw.size() > kMaxUrlBytes) {
    return bad("is longer than " + std::to_string(kMaxUrlBytes) + " bytes");
  }
  std::string lower = std::string(raw.substr(0, std::min<std::size_t>(raw.size(), 8)));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t host_start = 0;
  if (lower.starts_with("https://")) {
    host_start = 8;
  } else if (lower.starts_with("http://")) {
    host_start = 7;
  } else {
    return bad("must be an http:// or https:// URL, not " + text::QuoteForMessage(raw));
  }
  for (char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) {
      return bad("must not contain spaces or control characters (percent-encode them)");
    }
  }
  if (!text::IsValidUtf8(raw)) return bad("is not valid UTF-8");
  const std::string_view rest = raw.substr(host_start);
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == ':' || host.front() == '@') {
    return bad("must name a host after the scheme, not " + text::QuoteForMessage(raw));
  }
  return std::string(raw);
}

std::string NormalizeIsrc(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations) {
  if (raw.empty()) return "";
  std::string code = Upper(raw);
  if (code.size() == 15 && code[2] == '-' && code[6] == '-' && code[9] == '-') {
    std::erase(code, '-');
  }
  bool ok = code.size() == 12 && IsUpper(code[0]) && IsUpper(code[1]);
  for (std::size_t i = 2; ok && i < 5; ++i) ok = IsUpper(code[i]) || IsDigit(code[i]);
  for (std::size_t i = 5; ok && i < 12; ++i) ok = IsDigit(code[i]);
  if (!ok) {
    Violation(violations, field,
              "must be an ISRC: CC-XXX-YY-NNNNN, dashes optional (2 letters, 3 letters or "
              "digits, 2 digits, 5 digits), such as 'SE-ABC-24-00001', not " +
                  text::QuoteForMessage(raw));
    return "";
  }
  return code;
}

std::string NormalizeText(std::string_view field, std::string_view raw, std::size_t max_bytes,
                          std::vector<FieldViolation>* violations) {
  if (!text::IsValidUtf8(raw)) {
    Violation(violations, field, "is not valid UTF-8");
    return "";
  }
  const std::string_view trimmed = text::TrimWhitespace(raw);
  if (trimmed.size() > max_bytes) {
    Violation(violations, field, "is longer than " + std::to_string(max_bytes) + " bytes");
    return "";
  }
  return std::string(trimmed);
}

void ApplyPerformerChange(const PerformerChange& change, storage::PerformerRecord* record,
                          std::vector<FieldViolation>* violations) {
  if (change.name) record->name = NormalizeName("name", *change.name, violations);
  if (change.country) record->country = NormalizeCountry("country", *change.country, violations);
  if (change.description) {
    record->description =
        NormalizeText("description", *change.description, kMaxDescriptionBytes, violations);
  }
  if (change.date_of_birth) {
    record->date_of_birth = NormalizeDate("date_of_birth", *change.date_of_birth, violations);
  }
  if (change.website) record->website = NormalizeUrl("website", *change.website, violations);
  if (change.picture_url) {
    record->picture_url = NormalizeUrl("picture_url", *change.picture_url, violations);
  }
}

void ApplySongChange(const SongChange& change, storage::SongRecord* record,
                     std::vector<FieldViolation>* violations) {
  if (change.performer_id) record->performer_id = *change.performer_id;
  if (change.title) record->title = NormalizeName("title", *change.title, violations);
  if (change.duration_seconds) {
    if (*change.duration_seconds < 0 || *change.duration_seconds > kMaxDurationSeconds) {
      Violation(violations, "duration",
                "must be a whole number of seconds from 1 to " +
                    std::to_string(kMaxDurationSeconds) + ", or null");
    } else {
      record->duration_seconds = *change.duration_seconds;
    }
  }
  if (change.release) record->release = NormalizeDate("release", *change.release, violations);
  if (change.isrc) record->isrc = NormalizeIsrc("isrc", *change.isrc, violations);
}

}  // namespace spinlog::domain
