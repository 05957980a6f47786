// Hostile and malformed requests against the classic API (plays-api.md), as
// data: each case is a request (well-formed HTTP or raw bytes), the statuses
// it may answer and what its errors must say. One server serves the whole
// suite; it holds a small known dataset that no case may change.
//
// After every case the server must still answer a read with exactly the
// stored data; every answer must be JSON of the documented error shape with
// "code" equal to the HTTP status. Names used only in rejected writes
// ("Ghost ...") must not exist afterwards.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

using namespace std::string_literals;

// ---------------------------------------------------------------------------
// A small JSON reader for checking answers (the server's own reader is what is
// under test, so it is not used here).

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  double number = 0;
  std::string text;                                   // kString
  std::vector<Json> items;                            // kArray
  std::vector<std::pair<std::string, Json>> members;  // kObject
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  // Parses the whole text as one value; false on any syntax error.
  bool Parse(Json* out) {
    if (!Value(out, 0)) return false;
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  static void AppendUtf8(unsigned cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  bool Hex4(unsigned* cp) {
    if (pos_ + 4 > text_.size()) return false;
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      *cp <<= 4;
      if (c >= '0' && c <= '9') {
        *cp |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        *cp |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        *cp |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  bool String(std::string* out) {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          *out += '"';
          break;
        case '\\':
          *out += '\\';
          break;
        case '/':
          *out += '/';
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          unsigned cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            unsigned low = 0;
            if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return false;
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool Value(Json* out, int depth) {
    if (depth > 100) return false;
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == 'n') return Literal("null");
    if (c == 't' || c == 'f') {
      out->kind = Json::Kind::kBool;
      return Literal("true") || Literal("false");
    }
    if (c == '"') {
      out->kind = Json::Kind::kString;
      return String(&out->text);
    }
    if (c == '[') {
      out->kind = Json::Kind::kArray;
      ++pos_;
      SkipSpace();
      if (Literal("]")) return true;
      for (;;) {
        out->items.emplace_back();
        if (!Value(&out->items.back(), depth + 1)) return false;
        SkipSpace();
        if (Literal("]")) return true;
        if (!Literal(",")) return false;
      }
    }
    if (c == '{') {
      out->kind = Json::Kind::kObject;
      ++pos_;
      SkipSpace();
      if (Literal("}")) return true;
      for (;;) {
        SkipSpace();
        std::string key;
        if (!String(&key)) return false;
        SkipSpace();
        if (!Literal(":")) return false;
        out->members.emplace_back(std::move(key), Json{});
        if (!Value(&out->members.back().second, depth + 1)) return false;
        SkipSpace();
        if (Literal("}")) return true;
        if (!Literal(",")) return false;
      }
    }
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() &&
           std::string_view("0123456789.eE+-").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return false;
    out->kind = Json::Kind::kNumber;
    out->number = std::stod(std::string(text_.substr(start, pos_ - start)));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// ---------------------------------------------------------------------------
// The cases.

// A status of 0 in Case::statuses means "the server may close the connection
// without answering".
constexpr int kClosed = 0;

struct Case {
  std::string name;
  // A well-formed HTTP/1.1 request (method non-empty) ...
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  // ... or these raw bytes (method empty).
  std::string raw;
  // Acceptable statuses (kClosed: closing without an answer is acceptable).
  std::vector<int> statuses;
  // When non-empty: exactly the fields the errors name, one error each, each
  // message being "<field>: <problem>".
  std::vector<std::string> fields;
  // Substrings the error messages must contain (each in some message).
  std::vector<std::string> contains;
  // For 405: methods the Allow header must list.
  std::vector<std::string> allow;
  // Raw cases only: close right after sending, without reading an answer.
  bool hang_up = false;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// Names that only ever appear in requests that must be rejected.
constexpr const char* kGhostChannel = "Ghost Channel";
constexpr const char* kGhostPerformer = "Ghost Performer";
constexpr const char* kGhostSong = "Ghost Song";

// A form-encoded case.
Case FormCase(std::string name, std::string method, std::string path, const Fields& fields,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains = {}) {
  Case c;
  c.name = std::move(name);
  c.method = std::move(method);
  if (c.method == "GET") {
    c.target = path + (fields.empty() ? "" : "?" + Form(fields));
  } else {
    c.target = std::move(path);
    c.body = Form(fields);
    c.content_type = "application/x-www-form-urlencoded";
  }
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

// A POST with a literal body (bytes as they are) and Content-Type.
Case BodyCase(std::string name, std::string path, std::string body, std::string content_type,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains = {}) {
  Case c;
  c.name = std::move(name);
  c.method = "POST";
  c.target = std::move(path);
  c.body = std::move(body);
  c.content_type = std::move(content_type);
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

// A request with a literal (already encoded) target and no body.
Case TargetCase(std::string name, std::string method, std::string target, std::vector<int> statuses,
                std::vector<std::string> bad_fields, std::vector<std::string> contains = {}) {
  Case c;
  c.name = std::move(name);
  c.method = std::move(method);
  c.target = std::move(target);
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

// Raw bytes that must answer a 4xx or close the connection.
Case RawCase(std::string name, std::string raw, std::vector<int> extra_statuses = {}) {
  Case c;
  c.name = std::move(name);
  c.raw = std::move(raw);
  c.statuses = {kClosed, 400, 404, 405, 408, 411, 413, 414, 431};
  c.statuses.insert(c.statuses.end(), extra_statuses.begin(), extra_statuses.end());
  return c;
}

Fields Play(std::string channel, std::string performer, std::string title, std::string start,
            std::string end) {
  return {{"title", std::move(title)},
          {"performer", std::move(performer)},
          {"channel", std::move(channel)},
          {"start", std::move(start)},
          {"end", std::move(end)}};
}

Fields GhostPlay(std::string start, std::string end) {
  return Play(kGhostChannel, kGhostPerformer, kGhostSong, std::move(start), std::move(end));
}

// Plays at times inside the stored data's window, on stored names: accepting
// one would change what the reads answer.
Fields Channel1Play(std::string start, std::string end) {
  return Play("Channel1", "Performer1", "Song1", std::move(start), std::move(end));
}

std::vector<Case> MissingFieldCases() {
  const std::vector<int> k400{400};
  return {
      FormCase("add_channel without name", "POST", "/add_channel", {}, k400, {"name"},
               {"name: missing"}),
      BodyCase("add_channel with an empty JSON object", "/add_channel", "{}", "application/json",
               k400, {"name"}, {"name: missing"}),
      FormCase("add_channel with only an unrelated field", "POST", "/add_channel",
               {{"nmae", kGhostChannel}}, k400, {"name"}, {"name: missing"}),
      BodyCase("add_performer with an empty JSON object", "/add_performer", "{}", "", k400,
               {"name"}),
      FormCase("add_performer without name", "POST", "/add_performer", {}, k400, {"name"}),
      FormCase("add_song without any field", "POST", "/add_song", {}, k400, {"title", "performer"}),
      FormCase("add_song without performer", "POST", "/add_song", {{"title", kGhostSong}}, k400,
               {"performer"}, {"performer: missing"}),
      FormCase("add_song without title", "POST", "/add_song", {{"performer", kGhostPerformer}},
               k400, {"title"}),
      FormCase("add_play without any field", "POST", "/add_play", {}, k400,
               {"title", "performer", "channel", "start", "end"}),
      BodyCase("add_play as JSON without end", "/add_play",
               R"({"title":"Ghost Song","performer":"Ghost Performer","channel":"Ghost Channel",)"
               R"("start":"2014-01-05T00:00:00"})",
               "application/json", k400, {"end"}, {"end: missing"}),
      FormCase("get_channel_plays without any field", "GET", "/get_channel_plays", {}, k400,
               {"channel", "start", "end"}),
      FormCase("get_channel_plays posted without start", "POST", "/get_channel_plays",
               {{"channel", "Channel1"}, {"end", "2014-01-02"}}, k400, {"start"}),
      FormCase("get_song_plays without any field", "POST", "/get_song_plays", {}, k400,
               {"title", "performer", "start", "end"}),
      FormCase("get_song_plays without performer", "GET", "/get_song_plays",
               {{"title", "Song1"}, {"start", "2014-01-01"}, {"end", "2014-01-02"}}, k400,
               {"performer"}),
      FormCase("get_top without any field", "GET", "/get_top", {}, k400, {"channels", "start"}),
      FormCase("get_top without start", "GET", "/get_top", {{"channels", R"(["Channel1"])"}}, k400,
               {"start"}),
  };
}

std::vector<Case> DatetimeCases() {
  const std::vector<int> k400{400};
  const std::string ok_end = "2014-01-05T00:10:00";
  std::vector<Case> cases;
  // Half of them on stored names inside the stored window (accepting one would
  // change the reads), half on names that must not come to exist.
  bool ghost = false;
  for (const std::string& value : {"2014-13-01"s,
                                   "yesterday"s,
                                   "2014-01-01T25:00:00"s,
                                   ""s,
                                   "   "s,
                                   "2014-02-30"s,
                                   "2014-02-29"s,
                                   "2014-01-01T01:00:00junk"s,
                                   "2014-01-01T01:00:00+25:00"s,
                                   "2014-01-01T01:00:00+01:00:00"s,
                                   "2014-01-01T01:60:00"s,
                                   "2014-01-01T01:00:60"s,
                                   "20140101"s,
                                   "2014-1-1"s,
                                   "2014-01-01t01:00:00"s,
                                   "0000-01-01"s,
                                   "2014-01-01T01:00:00.1234567890"s,
                                   "1388538000"s,
                                   "2014-01-01T01:00:00\0"s,
                                   "9999-12-31T23:59:59-01:00"s,
                                   "2014-01-01T01:00:00\xFF"s}) {
    std::string printable;
    for (char ch : value) printable += (ch == '\0') ? std::string("\\0") : std::string(1, ch);
    cases.push_back(FormCase("add_play with start '" + printable + "'", "POST", "/add_play",
                             ghost ? GhostPlay(value, ok_end) : Channel1Play(value, ok_end), k400,
                             {"start"}, {"start: "}));
    ghost = !ghost;
  }
  cases.push_back(FormCase("add_play with a bad end only", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-05T00:10:00Zjunk"), k400,
                           {"end"}));
  cases.push_back(FormCase("add_play with end before start", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:10:00", "2014-01-05T00:00:00"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play with end equal to start", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-05T00:00:00"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play with end equal to start through an offset", "POST",
                           "/add_play",
                           GhostPlay("2014-01-05T01:00:00+01:00", "2014-01-05T00:00:00Z"), k400,
                           {"end"}, {"end: must be after start"}));
  cases.push_back(FormCase("add_play lasting 24 hours and one second", "POST", "/add_play",
                           Channel1Play("2014-01-05T00:00:00", "2014-01-06T00:00:01"), k400,
                           {"end"}, {"end: a play may last at most 24 hours"}));
  cases.push_back(FormCase("add_play lasting eight thousand years", "POST", "/add_play",
                           GhostPlay("0001-01-01", "9999-12-31T23:59:59"), k400, {"end"},
                           {"end: a play may last at most 24 hours"}));
  cases.push_back(BodyCase("add_play with a JSON number as start", "/add_play",
                           R"({"title":"Song1","performer":"Performer1","channel":"Channel1",)"
                           R"("start":1388880000,"end":"2014-01-05T00:10:00"})",
                           "application/json", k400, {"start"},
                           {"start: must be a string, not number"}));
  cases.push_back(FormCase(
      "get_channel_plays with a bad end", "GET", "/get_channel_plays",
      {{"channel", "Channel1"}, {"start", "2014-01-01"}, {"end", "2014-13-01"}}, k400, {"end"}));
  cases.push_back(FormCase("get_song_plays with two bad datetimes", "GET", "/get_song_plays",
                           {{"title", "Song1"},
                            {"performer", "Performer1"},
                            {"start", "yesterday"},
                            {"end", "2014-02-30"}},
                           k400, {"start", "end"}));
  cases.push_back(FormCase("get_top with hour 25", "GET", "/get_top",
                           {{"channels", R"(["Channel1"])"}, {"start", "2014-01-01T25:00:00"}},
                           k400, {"start"}));
  // Several fields wrong at once: every one is reported. The end cannot be
  // compared with a start that is not a datetime.
  cases.push_back(FormCase("add_play with missing title, bad start and end before start", "POST",
                           "/add_play",
                           {{"performer", kGhostPerformer},
                            {"channel", kGhostChannel},
                            {"start", "2014-13-01"},
                            {"end", "2014-01-01"}},
                           k400, {"title", "start"}));
  cases.push_back(FormCase("add_play with every field bad", "POST", "/add_play",
                           {{"title", "  "},
                            {"performer", "\xC3\x28"},
                            {"channel", std::string(1025, 'c')},
                            {"start", "yesterday"},
                            {"end", "2014-02-30"}},
                           k400, {"title", "performer", "channel", "start", "end"},
                           {"title: must not be empty", "performer: is not valid UTF-8",
                            "channel: is longer than 1024 bytes"}));
  cases.push_back(FormCase("add_play with bad names and end before start", "POST", "/add_play",
                           {{"title", ""},
                            {"performer", kGhostPerformer},
                            {"channel", kGhostChannel},
                            {"start", "2014-01-05T00:10:00"},
                            {"end", "2014-01-05T00:00:00"}},
                           k400, {"title", "end"}, {"end: must be after start"}));
  return cases;
}

std::vector<Case> NameCases() {
  const std::vector<int> k400{400};
  const std::string json = "application/json";
  return {
      BodyCase("add_channel with %FF in a form", "/add_channel", "name=Ghost%20Channel%FF",
               "application/x-www-form-urlencoded", k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_channel with %C3%28 in a form", "/add_channel", "name=%C3%28", "", k400,
               {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_performer with an encoded surrogate", "/add_performer", "name=%ED%A0%80", "",
               k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_performer with an overlong encoding of '/'", "/add_performer", "name=%C0%AF",
               "", k400, {"name"}, {"name: is not valid UTF-8"}),
      BodyCase("add_song with a truncated sequence in the title", "/add_song",
               "title=Ghost%20Song%E2%82&performer=Ghost%20Performer", "", k400, {"title"},
               {"title: is not valid UTF-8"}),
      TargetCase("get_channel_plays with %FF in the query", "GET",
                 "/get_channel_plays?channel=%FF&start=2014-01-01&end=2014-01-02", k400,
                 {"channel"}, {"channel: is not valid UTF-8"}),
      BodyCase("add_channel with raw invalid UTF-8 in JSON", "/add_channel",
               "{\"name\":\"Ghost Channel\xFF\"}", json, k400, {"body"}),
      BodyCase("add_channel with raw invalid UTF-8 in mislabelled JSON", "/add_channel",
               "{\"name\":\"\xC3\x28\"}", "text/plain", k400, {"body"}),
      BodyCase("add_channel with an unpaired surrogate escape in JSON", "/add_channel",
               R"({"name":"\ud800"})", json, k400, {"body"}),
      FormCase("add_channel with an empty name", "POST", "/add_channel", {{"name", ""}}, k400,
               {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a whitespace-only name", "POST", "/add_channel",
               {{"name", " \t\r\n "}}, k400, {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a no-break-space-only name", "POST", "/add_channel",
               {{"name", "\xC2\xA0\xE3\x80\x80"}}, k400, {"name"}, {"name: must not be empty"}),
      FormCase("add_channel with a 1025-byte name", "POST", "/add_channel",
               {{"name", std::string(1025, 'g')}}, k400, {"name"},
               {"name: is longer than 1024 bytes"}),
      FormCase("add_song with a 1026-byte title of two-byte characters", "POST", "/add_song",
               {{"title",
                 [] {
                   std::string s;
                   for (int i = 0; i < 513; ++i) s += "\xC3\xA9";
                   return s;
                 }()},
                {"performer", kGhostPerformer}},
               k400, {"title"}, {"title: is longer than 1024 bytes"}),
      FormCase("add_performer with a 100000-byte name", "POST", "/add_performer",
               {{"name", std::string(100000, 'p')}}, k400, {"name"},
               {"name: is longer than 1024 bytes"}),
      BodyCase("add_channel with a number as name", "/add_channel", R"({"name":42})", json, k400,
               {"name"}, {"name: must be a string, not number"}),
      BodyCase("add_channel with null as name", "/add_channel", R"({"name":null})", json, k400,
               {"name"}, {"name: must be a string, not null"}),
      BodyCase("add_channel with an array as name", "/add_channel", R"({"name":["Ghost Channel"]})",
               json, k400, {"name"}, {"name: must be a string, not array"}),
      BodyCase("add_channel with an object as name", "/add_channel",
               R"({"name":{"name":"Ghost Channel"}})", "", k400, {"name"},
               {"name: must be a string, not object"}),
      BodyCase("add_channel with a boolean as name", "/add_channel", R"({"name":true})", json, k400,
               {"name"}, {"name: must be a string, not boolean"}),
      BodyCase("add_play with a wrong JSON type in every field", "/add_play",
               R"({"title":1,"performer":null,"channel":[],"start":{},"end":true})", json, k400,
               {"title", "performer", "channel", "start", "end"}, {"must be a string, not"}),
  };
}

std::vector<Case> MethodAndPathCases() {
  std::vector<Case> cases;
  for (const char* path : {"/add_channel", "/add_performer", "/add_song", "/add_play"}) {
    for (const char* method : {"GET", "PUT", "DELETE"}) {
      Case c = TargetCase(
          std::string(method) + " on " + path, method,
          std::string(path) + (std::string(method) == "GET" ? "?name=Ghost%20Channel" : ""), {405},
          {});
      if (std::string(method) == "PUT") {
        c.body =
            "name=Ghost%20Channel&title=Ghost%20Song&performer=Ghost%20Performer&channel=Ghost%"
            "20Channel"
            "&start=2014-01-05&end=2014-01-05T00:10:00";
        c.content_type = "application/x-www-form-urlencoded";
      }
      c.allow = {"POST"};
      cases.push_back(std::move(c));
    }
  }
  for (const char* path : {"/get_channel_plays", "/get_song_plays", "/get_top"}) {
    Case c = TargetCase(std::string("DELETE on ") + path, "DELETE", path, {405}, {});
    c.allow = {"GET", "POST"};
    cases.push_back(std::move(c));
  }
  Case patch = TargetCase("PATCH on /add_play", "PATCH", "/add_play", {405}, {});
  patch.allow = {"POST"};
  cases.push_back(std::move(patch));
  for (const char* path : {"/nope", "/add_channelx", "/ADD_CHANNEL", "/add_channel/extra",
                           "/get_top/", "/../../etc/passwd", "/add_play%00"}) {
    cases.push_back(TargetCase(std::string("unknown path ") + path, "GET", path, {404}, {}));
  }
  cases.push_back(TargetCase("POST to an unknown path", "POST", "/add_plays", {404}, {}));
  return cases;
}

std::vector<Case> BodyCases() {
  const std::vector<int> k400{400};
  const std::string json = "application/json";
  const std::string form = "application/x-www-form-urlencoded";
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  std::string deep_member = R"({"name":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  std::vector<Case> cases = {
      BodyCase("truncated JSON", "/add_channel", R"({"name":"Ghost Chan)", json, k400, {"body"}),
      BodyCase("truncated JSON without Content-Type", "/add_channel", R"({"name":"Ghost Channel")",
               "", k400, {"body"}),
      BodyCase("JSON with a trailing comma", "/add_channel", R"({"name":"Ghost Channel",})", json,
               k400, {"body"}),
      BodyCase("JSON with junk after the object", "/add_channel", R"({"name":"Ghost Channel"} x)",
               json, k400, {"body"}),
      BodyCase("JSON with single quotes", "/add_channel", R"({'name':'Ghost Channel'})", json, k400,
               {"body"}),
      BodyCase("a top-level JSON array", "/add_channel", R"(["name","Ghost Channel"])", json, k400,
               {"body"}),
      BodyCase("a top-level JSON string", "/get_top", R"("channels")", json, k400, {"body"}),
      BodyCase("10000 nested arrays", "/add_channel", deep, json, k400, {"body"}),
      BodyCase("10000 nested arrays inside the object", "/add_channel", deep_member, json, k400,
               {"body"}),
      BodyCase("a form body declared as JSON", "/add_channel", "name=Ghost%20Channel", json, k400,
               {"body"}),
      BodyCase("a raw NUL inside a JSON string", "/add_channel", "{\"name\":\"Ghost\0Channel\"}"s,
               json, k400, {"body"}),
      BodyCase("a byte-order mark before JSON", "/add_channel",
               "\xEF\xBB\xBF{\"name\":\"Ghost Channel\"}", json, k400, {"body"}),
      BodyCase("a number too big for JSON", "/get_top",
               R"({"channels":["Channel1"],"start":"2014-01-08","limit":1e400})", json, k400,
               {"body"}),
      BodyCase("percent escape with non-hex digits", "/add_channel", "name=Ghost%zzChannel", form,
               k400, {"body"}),
      BodyCase("percent sign at the end of the body", "/add_channel", "name=Ghost%20Channel%", form,
               k400, {"body"}),
      BodyCase("percent escape with one digit", "/add_channel", "name=Ghost%4", form, k400,
               {"body"}),
      TargetCase("bad percent escape in the query of a GET", "GET",
                 "/get_channel_plays?channel=Channel%G1&start=2014-01-01&end=2014-01-02", k400,
                 {"query"}),
      FormCase("NUL after a stored channel name", "GET", "/get_channel_plays",
               {{"channel", "Channel1\0"s}, {"start", "2014-01-01"}, {"end", "2014-01-15"}},
               {404, 400}, {}),
  };
  Case query_on_post = BodyCase("bad percent escape in the query of a POST", "/add_channel",
                                "name=Ghost%20Channel", form, k400, {"query"});
  query_on_post.target = "/add_channel?x=%%";
  cases.push_back(std::move(query_on_post));

  // Bodies over the classic limit of 1 MiB, with valid fields inside.
  cases.push_back(BodyCase("a 2 MiB form body", "/add_channel",
                           "name=Ghost%20Channel&pad=" + std::string(2 << 20, 'a'), form, {413},
                           {"body"}));
  cases.push_back(BodyCase("a 2 MiB JSON body on a read", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","pad":")" +
                               std::string(2 << 20, 'a') + "\"}",
                           json, {413}, {"body"}));
  cases.push_back(BodyCase("a body just over 1 MiB", "/add_channel",
                           "name=Ghost%20Channel&pad=" + std::string((1 << 20) - 24, 'a'), form,
                           {413}, {"body"}));
  // Beyond the connection's own limit of 16 MiB the server may just close.
  Case huge = BodyCase("a 17 MiB body", "/add_play",
                       Form(GhostPlay("2014-01-05T00:00:00", "2014-01-05T00:10:00")) +
                           "&pad=" + std::string(17 << 20, 'a'),
                       form, {413, kClosed}, {});
  cases.push_back(std::move(huge));
  return cases;
}

std::vector<Case> QueryCases() {
  const std::vector<int> k400{400};
  const std::string week = "2014-01-08";
  auto top = [&](std::string name, std::string channels, std::string limit,
                 std::vector<int> statuses, std::vector<std::string> fields,
                 std::vector<std::string> contains = {}) {
    Fields f{{"channels", std::move(channels)}, {"start", week}};
    if (!limit.empty()) f.emplace_back("limit", std::move(limit));
    return FormCase(std::move(name), "GET", "/get_top", f, std::move(statuses), std::move(fields),
                    std::move(contains));
  };
  std::vector<Case> cases;
  for (const char* limit :
       {"0", "-1", "1001", "abc", "1.5", "1e3", " ", "0x10", "99999999999999999999", "+"}) {
    cases.push_back(top(std::string("get_top with limit '") + limit + "'", R"(["Channel1"])", limit,
                        k400, {"limit"}, {"limit: must be a whole number from 1 to 1000"}));
  }
  cases.push_back(BodyCase("get_top with a JSON limit of 0", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","limit":0})",
                           "application/json", k400, {"limit"},
                           {"limit: must be a whole number from 1 to 1000"}));
  cases.push_back(BodyCase("get_top with a JSON limit of true", "/get_top",
                           R"({"channels":["Channel1"],"start":"2014-01-08","limit":true})",
                           "application/json", k400, {"limit"}));
  cases.push_back(
      top("get_top with channels that are not JSON", R"(["Channel1")", "", k400, {"channels"}));
  cases.push_back(top("get_top with channels as JSON with single quotes", "['Channel1']", "", k400,
                      {"channels"}));
  cases.push_back(top("get_top with channels [1,2]", "[1,2]", "", k400, {"channels"}));
  cases.push_back(top("get_top with channels [\"Channel1\",null]", R"(["Channel1",null])", "", k400,
                      {"channels"}));
  cases.push_back(top("get_top with channels []", "[]", "", k400, {"channels"},
                      {"channels: must name at least one channel"}));
  cases.push_back(
      top("get_top with an empty channel name", R"(["Channel1",""])", "", k400, {"channels"}));
  cases.push_back(top("get_top with a nested list", R"([["Channel1"]])", "", k400, {"channels"}));
  cases.push_back(BodyCase("get_top with channels as a JSON object", "/get_top",
                           R"({"channels":{"Channel1":1},"start":"2014-01-08"})",
                           "application/json", k400, {"channels"}));
  cases.push_back(BodyCase("get_top with channels as a JSON number", "/get_top",
                           R"({"channels":7,"start":"2014-01-08"})", "application/json", k400,
                           {"channels"}));
  cases.push_back(BodyCase("get_top with a JSON list of numbers", "/get_top",
                           R"({"channels":[1,2],"start":"2014-01-08"})", "application/json", k400,
                           {"channels"}));
  cases.push_back(FormCase("get_top with every field bad", "GET", "/get_top",
                           {{"channels", "[]"}, {"start", "2014-02-30"}, {"limit", "0"}}, k400,
                           {"channels", "start", "limit"}));
  // Unknown names in queries: 404 naming them.
  cases.push_back(top("get_top with an unknown channel", R"(["Ghost Channel"])", "", {404}, {},
                      {kGhostChannel}));
  cases.push_back(top("get_top with two unknown channels and a known one",
                      R"(["Ghost A","Channel1","Ghost B"])", "10", {404}, {},
                      {"Ghost A", "Ghost B"}));
  cases.push_back(top("get_top with a channel differing in case", R"(["channel1"])", "", {404}, {},
                      {"channel1"}));
  cases.push_back(FormCase("get_top with repeated unknown channels", "GET", "/get_top",
                           {{"channels", "Ghost C"}, {"channels", "Ghost D"}, {"start", week}},
                           {404}, {}, {"Ghost C", "Ghost D"}));
  cases.push_back(
      FormCase("get_channel_plays of an unknown channel", "GET", "/get_channel_plays",
               {{"channel", kGhostChannel}, {"start", "2014-01-01"}, {"end", "2014-01-15"}}, {404},
               {}, {kGhostChannel}));
  cases.push_back(FormCase("get_song_plays of an unknown performer", "GET", "/get_song_plays",
                           {{"title", "Song1"},
                            {"performer", kGhostPerformer},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"Song1", kGhostPerformer}));
  cases.push_back(FormCase("get_song_plays of a known title by another known performer", "POST",
                           "/get_song_plays",
                           {{"title", "Song2"},
                            {"performer", "Performer1"},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"Song2", "Performer1"}));
  cases.push_back(FormCase("get_song_plays of a title differing in case", "GET", "/get_song_plays",
                           {{"title", "song1"},
                            {"performer", "Performer1"},
                            {"start", "2014-01-01"},
                            {"end", "2014-01-15"}},
                           {404}, {}, {"song1"}));
  return cases;
}

std::vector<Case> ConflictCases() {
  return {
      FormCase("a play with another end at a stored (channel, start)", "POST", "/add_play",
               Channel1Play("2014-01-01T01:00:00", "2014-01-01T01:11:00"), {409}, {}),
      FormCase(
          "a play of a new song at a stored (channel, start)", "POST", "/add_play",
          Play("Channel1", "Performer1", kGhostSong, "2014-01-01T01:00:00", "2014-01-01T01:10:00"),
          {409}, {}),
      FormCase("a play of a new performer at a stored (channel, start)", "POST", "/add_play",
               Play("Channel1", kGhostPerformer, kGhostSong, "2014-01-01T01:00:00",
                    "2014-01-01T01:10:00"),
               {409}, {}),
      FormCase("a conflicting play with its start written with an offset", "POST", "/add_play",
               Channel1Play("2014-01-01T02:00:00+01:00", "2014-01-01T01:09:00Z"), {409}, {}),
  };
}

std::vector<Case> HttpLevelCases() {
  const std::string host = "Host: 127.0.0.1\r\n";
  std::vector<Case> cases = {
      RawCase("a garbage request line", "GARBAGE\r\n\r\n"),
      RawCase("a request line without version", "GET /get_top\r\n\r\n"),
      RawCase("a request line with a bogus version", "GET /get_top HTTP/x.y\r\n" + host + "\r\n"),
      RawCase("an unknown method", "FROB /add_play HTTP/1.1\r\n" + host + "\r\n", {501}),
      RawCase("a TLS ClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s),
      RawCase("a NUL in the request target", "GET /get_top\0x HTTP/1.1\r\n"s + host + "\r\n"),
      RawCase("a NUL in a header value", "GET /get_top HTTP/1.1\r\nX-A: a\0b\r\n"s + host + "\r\n"),
      RawCase("a header line without colon",
              "GET /get_top HTTP/1.1\r\nNoColonHere\r\n" + host + "\r\n"),
      RawCase("a header over 64 KiB", "GET /get_top HTTP/1.1\r\n" + host +
                                          "X-Big: " + std::string(70 << 10, 'x') + "\r\n\r\n"),
      RawCase("2000 headers",
              [&] {
                std::string r = "GET /get_top HTTP/1.1\r\n" + host;
                for (int i = 0; i < 2000; ++i)
                  r += "X-H" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
                return r + "\r\n";
              }()),
      RawCase("a 100 KiB URL", "GET /get_top?channels=" + std::string(100 << 10, 'u') +
                                   " HTTP/1.1\r\n" + host + "\r\n"),
      RawCase("a non-numeric Content-Length",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Length: abc\r\n\r\nname=Ghost%20Channel"),
      RawCase("a negative Content-Length", "POST /add_channel HTTP/1.1\r\n" + host +
                                               "Content-Length: -20\r\n\r\nname=Ghost%20Channel"),
      RawCase("two different Content-Lengths",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Length: 5\r\nContent-Length: 7\r\n\r\nname=ab"),
      RawCase("a chunk size that is not hex",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Transfer-Encoding: chunked\r\n\r\nzz\r\nname=Ghost\r\n0\r\n\r\n"),
      RawCase("a chunk size that overflows",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nname\r\n"),
  };
  Case partial_headers =
      RawCase("headers cut off, then hang up", "POST /add_channel HTTP/1.1\r\n" + host +
                                                   "Content-Type: application/x-www-form-urlen");
  partial_headers.hang_up = true;
  cases.push_back(std::move(partial_headers));
  Case partial_body =
      RawCase("a body shorter than its Content-Length, then hang up",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
                  "name=Ghost%20Channel");
  partial_body.hang_up = true;
  cases.push_back(std::move(partial_body));
  Case partial_line = RawCase("a request line cut off, then hang up", "POST /add_pl");
  partial_line.hang_up = true;
  cases.push_back(std::move(partial_line));
  return cases;
}

// ---------------------------------------------------------------------------
// The fixture: one server with a known dataset for the whole suite.

struct KnownRead {
  std::string target;
  std::string result;  // the exact "result" JSON
};

const std::vector<std::pair<std::string, Fields>>& DatasetWrites() {
  static const auto* writes = new std::vector<std::pair<std::string, Fields>>{
      {"/add_channel", {{"name", "Channel1"}}},
      {"/add_channel", {{"name", "Channel2"}}},
      {"/add_song", {{"title", "Song1"}, {"performer", "Performer1"}}},
      {"/add_song", {{"title", "Song2"}, {"performer", "Performer2"}}},
      {"/add_play",
       Play("Channel1", "Performer1", "Song1", "2014-01-01T01:00:00", "2014-01-01T01:10:00")},
      {"/add_play",
       Play("Channel1", "Performer2", "Song2", "2014-01-02T10:00:00", "2014-01-02T10:04:00")},
      {"/add_play",
       Play("Channel2", "Performer1", "Song1", "2014-01-03T12:00:00", "2014-01-03T12:10:00")},
      {"/add_play",
       Play("Channel1", "Performer1", "Song1", "2014-01-08T09:00:00", "2014-01-08T09:10:00")},
      {"/add_play",
       Play("Channel2", "Performer2", "Song2", "2014-01-09T09:00:00", "2014-01-09T09:04:00")},
  };
  return *writes;
}

std::string Query(const Fields& fields) {
  std::string query = "?";
  query += Form(fields);
  return query;
}

const std::vector<KnownRead>& KnownReads() {
  static const auto* reads = new std::vector<KnownRead>{
      {"/get_channel_plays" +
           Query({{"channel", "Channel1"}, {"start", "2013-12-01"}, {"end", "2015-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"},)"
       R"({"performer":"Performer2","title":"Song2","start":"2014-01-02T10:00:00","end":"2014-01-02T10:04:00"},)"
       R"({"performer":"Performer1","title":"Song1","start":"2014-01-08T09:00:00","end":"2014-01-08T09:10:00"}])"},
      {"/get_channel_plays" +
           Query({{"channel", "Channel2"}, {"start", "2013-12-01"}, {"end", "2015-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","start":"2014-01-03T12:00:00","end":"2014-01-03T12:10:00"},)"
       R"({"performer":"Performer2","title":"Song2","start":"2014-01-09T09:00:00","end":"2014-01-09T09:04:00"}])"},
      {"/get_song_plays" + Query({{"title", "Song1"},
                                  {"performer", "Performer1"},
                                  {"start", "2013-12-01"},
                                  {"end", "2015-01-01"}}),
       R"([{"channel":"Channel1","start":"2014-01-01T01:00:00","end":"2014-01-01T01:10:00"},)"
       R"({"channel":"Channel2","start":"2014-01-03T12:00:00","end":"2014-01-03T12:10:00"},)"
       R"({"channel":"Channel1","start":"2014-01-08T09:00:00","end":"2014-01-08T09:10:00"}])"},
      {"/get_song_plays" + Query({{"title", "Song2"},
                                  {"performer", "Performer2"},
                                  {"start", "2013-12-01"},
                                  {"end", "2015-01-01"}}),
       R"([{"channel":"Channel1","start":"2014-01-02T10:00:00","end":"2014-01-02T10:04:00"},)"
       R"({"channel":"Channel2","start":"2014-01-09T09:00:00","end":"2014-01-09T09:04:00"}])"},
      {"/get_top" + Query({{"channels", R"(["Channel1","Channel2"])"}, {"start", "2014-01-08"}}),
       R"([{"performer":"Performer1","title":"Song1","rank":0,"previous_rank":0,"plays":1,"previous_plays":2},)"
       R"({"performer":"Performer2","title":"Song2","rank":1,"previous_rank":1,"plays":1,"previous_plays":1}])"},
      {"/get_top" + Query({{"channels", R"(["Channel1","Channel2"])"}, {"start", "2014-01-01"}}),
       R"([{"performer":"Performer1","title":"Song1","rank":0,"previous_rank":null,"plays":2,"previous_plays":0},)"
       R"({"performer":"Performer2","title":"Song2","rank":1,"previous_rank":null,"plays":1,"previous_plays":0}])"},
      {"/get_top" + Query({{"channels", R"(["Channel2"])"}, {"start", "2014-01-05"}}),
       R"([{"performer":"Performer2","title":"Song2","rank":0,"previous_rank":null,"plays":1,"previous_plays":0}])"},
  };
  return *reads;
}

// Targets that must answer 404: every ghost name was only ever rejected.
std::vector<std::string> GhostReads() {
  const std::string window = "&start=2013-12-01&end=2015-01-01";
  std::vector<std::string> reads;
  for (const char* channel :
       {kGhostChannel, "Ghost A", "Ghost B", "channel1", "Channel1 Channel2"}) {
    reads.push_back("/get_channel_plays?channel=" + UrlEncode(channel) + window);
    reads.push_back("/get_top?start=2014-01-08&channels=" +
                    UrlEncode(std::string("[\"") + channel + "\"]"));
  }
  for (const auto& [performer, title] :
       std::vector<std::pair<std::string, std::string>>{{kGhostPerformer, kGhostSong},
                                                        {"Performer1", kGhostSong},
                                                        {kGhostPerformer, "Song1"},
                                                        {"Performer1", "Song2"}}) {
    reads.push_back("/get_song_plays?" + Form({{"title", title}, {"performer", performer}}) +
                    window);
  }
  return reads;
}

class HostileRequests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess();
    if (!server_->Start(dir_->path())) {
      start_error_ = "server did not start: " + server_->Log();
      return;
    }
    for (const auto& [path, fields] : DatasetWrites()) {
      HttpResponse r = Post(server_->port(), path, Form(fields));
      if (r.status != 200) {
        start_error_ = "storing the dataset failed at " + path + " " + Form(fields) + ": " +
                       std::to_string(r.status) + " " + r.body;
        return;
      }
    }
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(start_error_.empty()) << start_error_;
    ExpectStoredDataUnchanged("before the cases of this test (an earlier test changed it)");
  }

  void TearDown() override { ExpectStoredDataUnchanged("after the cases of this test"); }

  static std::uint16_t port() { return server_->port(); }

  // The server answers reads with exactly the known data, and not the ghosts.
  void ExpectStoredDataUnchanged(const std::string& when) {
    SCOPED_TRACE("stored data checked " + when);
    for (const KnownRead& read : KnownReads()) {
      HttpResponse r = Get(port(), read.target);
      EXPECT_EQ(r.status, 200) << read.target << "\n" << r.body;
      EXPECT_EQ(r.body, "{\"code\":0,\"result\":" + read.result + "}") << read.target;
    }
    for (const std::string& target : GhostReads()) {
      HttpResponse r = Get(port(), target);
      EXPECT_EQ(r.status, 404) << target << " must not exist, got: " << r.body;
    }
  }

  // Sends the case's request; returns the answer (status kClosed when none)
  // and whether the server neither answered nor closed in time.
  static HttpResponse Send(const Case& c, bool* hung) {
    *hung = false;
    HttpConnection connection(port());
    if (!connection.connected()) return {};
    if (!c.method.empty()) return connection.Request(c.method, c.target, c.body, c.content_type);
    if (!connection.SendRaw(c.raw) || c.hang_up) return {};
    constexpr int kTimeoutMs = 3000;
    const auto begin = std::chrono::steady_clock::now();
    HttpResponse r = connection.ReadResponse(kTimeoutMs);
    const auto waited = std::chrono::steady_clock::now() - begin;
    *hung = r.status == kClosed && waited >= std::chrono::milliseconds(kTimeoutMs);
    return r;
  }

  // Checks one answered error: shape, code, content type, fields, substrings.
  static void ExpectErrorBody(const Case& c, const HttpResponse& r) {
    EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
    ASSERT_TRUE(IsValidUtf8(r.body)) << "the body is not UTF-8: " << r.body;
    Json body;
    ASSERT_TRUE(JsonParser(r.body).Parse(&body)) << "not JSON: " << r.body;
    ASSERT_EQ(body.kind, Json::Kind::kObject) << r.body;
    ASSERT_EQ(body.members.size(), 3u) << r.body;
    EXPECT_EQ(body.members[0].first, "code") << r.body;
    EXPECT_EQ(body.members[1].first, "errors") << r.body;
    EXPECT_EQ(body.members[2].first, "result") << r.body;
    const Json& code = body.members[0].second;
    const Json& errors = body.members[1].second;
    EXPECT_EQ(body.members[2].second.kind, Json::Kind::kNull) << r.body;
    EXPECT_EQ(code.kind, Json::Kind::kNumber) << r.body;
    EXPECT_EQ(code.number, r.status) << r.body;
    ASSERT_EQ(errors.kind, Json::Kind::kArray) << r.body;
    EXPECT_FALSE(errors.items.empty()) << r.body;
    std::vector<std::string> messages;
    for (const Json& e : errors.items) {
      ASSERT_EQ(e.kind, Json::Kind::kString) << r.body;
      messages.push_back(e.text);
    }
    if (!c.fields.empty()) {
      std::vector<std::string> named;
      for (const std::string& m : messages) {
        const std::size_t colon = m.find(": ");
        named.push_back(colon == std::string::npos ? "<no field in '" + m + "'>"
                                                   : m.substr(0, colon));
      }
      std::vector<std::string> expected = c.fields;
      std::sort(named.begin(), named.end());
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(named, expected) << "fields named by the errors of: " << r.body;
    }
    for (const std::string& needle : c.contains) {
      const bool found = std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
        return m.find(needle) != std::string::npos;
      });
      EXPECT_TRUE(found) << "no error mentions '" << needle << "': " << r.body;
    }
    if (r.status == 405) {
      const std::string allow = r.Header("Allow");
      EXPECT_FALSE(allow.empty()) << "405 without Allow";
      for (const std::string& m : c.allow) {
        EXPECT_NE(allow.find(m), std::string::npos) << "Allow: " << allow;
      }
      if (c.allow == std::vector<std::string>{"POST"}) {
        EXPECT_EQ(allow, "POST");
      }
    }
  }

  // Every read of KnownReads() and GhostReads(): "<status> <body>" each.
  static std::vector<std::string> ReadEverything() {
    std::vector<std::string> answers;
    for (const KnownRead& read : KnownReads()) {
      HttpResponse r = Get(port(), read.target);
      answers.push_back(std::to_string(r.status) + " " + read.target + " " + r.body);
    }
    for (const std::string& target : GhostReads()) {
      HttpResponse r = Get(port(), target);
      answers.push_back(std::to_string(r.status) + " " + target + " " + r.body);
    }
    return answers;
  }

  // Runs every case, each followed by a check that the server still serves
  // and that the case changed none of the reads.
  void RunCases(const std::vector<Case>& cases) {
    std::vector<std::string> before = ReadEverything();
    for (const Case& c : cases) {
      std::string request = c.method.empty() ? c.raw.substr(0, 160)
                                             : c.method + " " + c.target.substr(0, 160) + " [" +
                                                   c.body.substr(0, 160) + "]";
      SCOPED_TRACE("case '" + c.name + "': " + request);
      bool hung = false;
      HttpResponse r = Send(c, &hung);
      EXPECT_FALSE(hung) << "the server neither answered nor closed the connection";
      EXPECT_NE(std::find(c.statuses.begin(), c.statuses.end(), r.status), c.statuses.end())
          << "unexpected status " << r.status
          << (r.status == kClosed ? " (closed without answer)" : "") << ": "
          << r.body.substr(0, 500);
      if (r.status != kClosed) ExpectErrorBody(c, r);
      HttpResponse alive = Get(port(), KnownReads()[0].target);
      ASSERT_EQ(alive.status, 200) << "the server stopped serving after this case\n"
                                   << server_->Log();
      EXPECT_EQ(alive.body, "{\"code\":0,\"result\":" + KnownReads()[0].result + "}");
      std::vector<std::string> after = ReadEverything();
      for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
        EXPECT_EQ(after[i], before[i]) << "this rejected request changed what a read answers";
      }
      before = std::move(after);
    }
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::string start_error_;
};

TempDir* HostileRequests::dir_ = nullptr;
ServerProcess* HostileRequests::server_ = nullptr;
std::string HostileRequests::start_error_;

TEST_F(HostileRequests, MissingFieldsAreAllReportedOnEveryEndpoint) {
  RunCases(MissingFieldCases());
}

TEST_F(HostileRequests, MalformedDatetimesAndBadTimeRangesAreRejectedNamingEachField) {
  RunCases(DatetimeCases());
}

TEST_F(HostileRequests, InvalidNamesAreRejectedAndCreateNothing) { RunCases(NameCases()); }

TEST_F(HostileRequests, WrongMethodsAnswer405WithAllowAndUnknownPaths404) {
  RunCases(MethodAndPathCases());
}

TEST_F(HostileRequests, MalformedOversizedOrBadlyEscapedBodiesAreRejected) {
  RunCases(BodyCases());
}

TEST_F(HostileRequests, BadTopParametersAnswer400AndUnknownNames404NamingThem) {
  RunCases(QueryCases());
}

TEST_F(HostileRequests, ConflictingPlaysAnswer409AndChangeNothing) { RunCases(ConflictCases()); }

TEST_F(HostileRequests, HttpLevelGarbageIsRefusedWithoutBringingTheServerDown) {
  RunCases(HttpLevelCases());
}

}  // namespace
}  // namespace spinlog::e2e
