#include "http/conditional_get.h"

#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <utility>

namespace spinlog::http {
namespace {

bool IsOws(char c) { return c == ' ' || c == '\t'; }

// etagc (RFC 9110 8.8.3): any visible ASCII but DQUOTE, or obs-text.
bool IsEtagChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte != 0x7F);
}

// The member of `list` starting at `*pos` (after separators): "*", or an
// entity-tag's opaque part with its quotes (the W/ prefix dropped), or ""
// when the member is malformed. Leaves `*pos` after the member.
std::string_view NextMember(std::string_view list, std::size_t* pos) {
  std::size_t i = *pos;
  std::string_view member;
  if (list[i] == '*') {
    member = list.substr(i++, 1);
  } else {
    if (list.substr(i, 2) == "W/") i += 2;
    if (i < list.size() && list[i] == '"') {
      std::size_t close = i + 1;
      while (close < list.size() && IsEtagChar(list[close])) ++close;
      if (close < list.size() && list[close] == '"') {
        member = list.substr(i, close + 1 - i);
        i = close + 1;
      }
    }
  }
  while (i < list.size() && IsOws(list[i])) ++i;
  if (i < list.size() && list[i] != ',') {
    // Junk after the tag, or no tag at all: skip to the next member. A comma
    // inside a malformed tag may split it oddly; it still never matches.
    member = {};
    while (i < list.size() && list[i] != ',') ++i;
  }
  *pos = i;
  return member;
}

}  // namespace

std::string BodyEntityTag(std::string_view body) {
  const std::uint64_t hash = XXH3_64bits(body.data(), body.size());
  char tag[19];
  std::snprintf(tag, sizeof(tag), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return std::string(tag, 18);
}

bool IfNoneMatchMatches(std::string_view field_value, std::string_view etag) {
  std::size_t pos = 0;
  while (true) {
    // Empty members ("a, ,b") are allowed by the list syntax (RFC 9110 5.6.1).
    while (pos < field_value.size() && (IsOws(field_value[pos]) || field_value[pos] == ',')) ++pos;
    if (pos == field_value.size()) return false;
    const std::string_view member = NextMember(field_value, &pos);
    if (member == "*" || (!member.empty() && member == etag)) return true;
  }
}

Responder WithEntityTag(const Request& request, Responder respond) {
  // Copied: the request itself moves on to the handler.
  std::string if_none_match;
  for (std::string_view value : request.FindHeaders("If-None-Match")) {
    if (!if_none_match.empty()) if_none_match.append(", ");
    if_none_match.append(value);
  }
  return [if_none_match = std::move(if_none_match), inner = std::move(respond)](Response response) {
    if (response.status != 200) return inner(std::move(response));
    std::string tag = BodyEntityTag(response.body);
    const bool not_modified = IfNoneMatchMatches(if_none_match, tag);
    response.headers.emplace_back("ETag", std::move(tag));
    if (not_modified) {
      // RFC 9110 15.4.5: no content; the validators and Cache-Control that a
      // 200 would carry are sent, so the answer's own headers stay.
      response.status = 304;
      response.not_modified_length = response.body.size();
      response.body.clear();
      response.content_type.clear();
    }
    inner(std::move(response));
  };
}

}  // namespace spinlog::http
