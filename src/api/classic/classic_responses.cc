#include "api/classic/classic_responses.h"

#include "api/error_mapping.h"
#include "json/json_writer.h"
#include "text/datetime.h"

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

http::Response PlayListResponse(std::span<const domain::PlayByNames> plays, PlayFields fields) {
  json::JsonWriter w;
  BeginOk(w);
  w.StartArray();
  for (const domain::PlayByNames& play : plays) WritePlay(w, play, fields);
  w.EndArray();
  return Finish(w);
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

http::Response TopResponse(std::span<const charts::ChartEntry> chart) {
  json::JsonWriter w;
  BeginOk(w);
  w.StartArray();
  for (const charts::ChartEntry& entry : chart) {
    w.StartObject();
    w.Key("performer");
    w.String(entry.performer);
    w.Key("title");
    w.String(entry.title);
    w.Key("rank");
    w.Int(entry.rank);
    w.Key("previous_rank");
    if (entry.previous_rank) {
      w.Int(*entry.previous_rank);
    } else {
      w.Null();
    }
    w.Key("plays");
    w.Int(entry.plays);
    w.Key("previous_plays");
    w.Int(entry.previous_plays);
    w.EndObject();
  }
  w.EndArray();
  return Finish(w);
}

}  // namespace spinlog::api::classic
