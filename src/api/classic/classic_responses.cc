#include "api/classic/classic_responses.h"

#include <charconv>
#include <iterator>
#include <unordered_map>

#include "api/error_mapping.h"
#include "json/json_writer.h"
#include "text/datetime.h"
#include "text/utf8.h"

namespace spinlog::api::classic {
namespace {

// Opens {"code":0,"result": ; the caller writes the result.
void BeginOk(json::JsonWriter& w) {
  w.StartObject();
  w.Key("code");
  w.Int(0);
  w.Key("result");
}

http::Response Finish(json::JsonWriter& w) {
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  return response;
}

void WriteTime(json::JsonWriter& w, std::string_view key, UnixMicros t) {
  w.Key(key);
  // Reused so that long lists of plays do not allocate per datetime.
  thread_local std::string formatted;
  formatted.clear();
  text::AppendDatetimeSeconds(t, &formatted);
  w.String(formatted);
}

}  // namespace

http::Response ErrorResponse(int status, std::span<const std::string> messages) {
  json::JsonWriter w;
  w.StartObject();
  w.Key("code");
  w.Int(status);
  w.Key("errors");
  w.StartArray();
  for (const std::string& m : messages) w.String(m);
  w.EndArray();
  w.Key("result");
  w.Null();
  http::Response response = Finish(w);
  response.status = status;
  return response;
}

http::Response StatusResponse(const Status& status) {
  HttpError error = MapStatus(status);
  http::Response response = ErrorResponse(error.status, error.messages);
  if (error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

http::Response NameResponse(std::string_view name) {
  json::JsonWriter w;
  BeginOk(w);
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.EndObject();
  return Finish(w);
}

http::Response SongResponse(std::string_view performer, std::string_view title) {
  json::JsonWriter w;
  BeginOk(w);
  w.StartObject();
  w.Key("title");
  w.String(title);
  w.Key("performer");
  w.String(performer);
  w.EndObject();
  return Finish(w);
}

namespace {

// Which fields of a play an answer carries; always in the spec's order
// channel, performer, title, start, end.
struct PlayFields {
  bool channel;
  bool song;  // performer and title
};

void WritePlay(json::JsonWriter& w, const domain::PlayByNames& play, PlayFields fields) {
  w.StartObject();
  if (fields.channel) {
    w.Key("channel");
    w.String(play.channel);
  }
  if (fields.song) {
    w.Key("performer");
    w.String(play.performer);
    w.Key("title");
    w.String(play.title);
  }
  WriteTime(w, "start", play.start);
  WriteTime(w, "end", play.end);
  w.EndObject();
}

// The JSON members that `fields` asks for from the names of `play`, without
// braces: `"performer":"...","title":"..."` or `"channel":"..."`.
std::string NameMembers(const domain::PlayByNames& play, PlayFields fields) {
  json::JsonWriter w;
  WritePlay(w, domain::PlayByNames{play.channel, play.performer, play.title, 0, 0}, fields);
  std::string object = w.Take();
  // Drop '{' and the times: ',"start":"1970-01-01T00:00:00","end":"..."}'.
  const std::size_t times = object.find(fields.channel || fields.song ? ",\"start\"" : "\"start\"");
  return object.substr(1, times - 1);
}

// Lists repeat few channels and songs: their escaped names are written once
// per answer and copied for every play, with the times appended by hand
// (their characters never need escaping).
http::Response PlayListResponse(std::span<const domain::PlayByNames> plays, PlayFields fields) {
  std::string body = R"({"code":0,"result":[)";
  body.reserve(body.size() + plays.size() * 110 + 3);
  std::unordered_map<std::uint64_t, std::string> members;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const domain::PlayByNames& play = plays[i];
    if (i > 0) body += ',';
    body += '{';
    // Ids are known for plays read from the store; others get no reuse.
    const std::uint64_t key = (std::uint64_t{fields.channel ? play.channel_id : 0} << 32) |
                              (fields.song ? play.song_id : 0);
    std::string fresh;
    const std::string* names = &fresh;
    if (key != 0) {
      auto [it, inserted] = members.try_emplace(key);
      if (inserted) it->second = NameMembers(play, fields);
      names = &it->second;
    } else {
      fresh = NameMembers(play, fields);
    }
    body += *names;
    body += R"(,"start":")";
    text::AppendDatetimeSeconds(play.start, &body);
    body += R"(","end":")";
    text::AppendDatetimeSeconds(play.end, &body);
    body += "\"}";
  }
  body += "]}";
  http::Response response;
  response.body = std::move(body);
  return response;
}

}  // namespace

http::Response PlayResponse(const domain::PlayByNames& play) {
  json::JsonWriter w;
  BeginOk(w);
  WritePlay(w, play, {.channel = true, .song = true});
  return Finish(w);
}

http::Response ChannelPlaysResponse(std::span<const domain::PlayByNames> plays) {
  return PlayListResponse(plays, {.channel = false, .song = true});
}

http::Response SongPlaysResponse(std::span<const domain::PlayByNames> plays) {
  return PlayListResponse(plays, {.channel = true, .song = false});
}

namespace {

// Appends `s` as a JSON string, escaped exactly as JsonWriter::String does:
// well-formed UTF-8 without control characters, '"' or '\\' (nearly every
// name) is copied as it is.
void AppendJsonString(std::string_view s, std::string* out) {
  bool plain = true;
  bool ascii = true;
  for (unsigned char c : s) {
    plain &= c >= 0x20 && c != '"' && c != '\\';
    ascii &= c < 0x80;
  }
  if (plain && (ascii || text::IsValidUtf8(s))) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  json::JsonWriter w;
  w.String(s);
  out->append(w.Take());
}

void AppendInt(std::int64_t value, std::string* out) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out->append(digits, end);
}

}  // namespace

// get_top is the classic API's hottest read: its answer is written by hand
// (a tenth of JsonWriter's instructions), in the same bytes JsonWriter
// would give.
http::Response TopResponse(std::span<const charts::ChartEntry> chart) {
  http::Response response;
  std::string& body = response.body;
  body.reserve(32 + chart.size() * 128);
  body.append(R"({"code":0,"result":[)");
  for (std::size_t i = 0; i < chart.size(); ++i) {
    const charts::ChartEntry& entry = chart[i];
    body.append(i == 0 ? R"({"performer":)" : R"(,{"performer":)");
    AppendJsonString(entry.performer, &body);
    body.append(R"(,"title":)");
    AppendJsonString(entry.title, &body);
    body.append(R"(,"rank":)");
    AppendInt(entry.rank, &body);
    body.append(R"(,"previous_rank":)");
    if (entry.previous_rank) {
      AppendInt(*entry.previous_rank, &body);
    } else {
      body.append("null");
    }
    body.append(R"(,"plays":)");
    AppendInt(entry.plays, &body);
    body.append(R"(,"previous_plays":)");
    AppendInt(entry.previous_plays, &body);
    body.push_back('}');
  }
  body.append("]}");
  return response;
}

}  // namespace spinlog::api::classic
