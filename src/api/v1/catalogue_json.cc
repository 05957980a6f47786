#include "api/v1/catalogue_json.h"

#include "common/logging.h"
#include "domain/channel_attributes.h"

namespace spinlog::api::v1 {
namespace {

// An optional text field: its value, or null when not given ("").
void StringOrNull(json::JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  if (value.empty()) {
    w.Null();
  } else {
    w.String(value);
  }
}

}  // namespace

void WriteChannel(json::JsonWriter& w, const storage::ChannelRecord& channel) {
  w.StartObject();
  w.Key("id");
  w.Uint(channel.id);
  w.Key("name");
  w.String(channel.name);
  StringOrNull(w, "country", channel.country);
  w.Key("audience");
  if (channel.audience < 0) {
    w.Null();
  } else {
    w.Int(channel.audience);
  }
  w.Key("attributes");
  Result<domain::Attributes> attributes = domain::ParseAttributes(channel.attributes);
  if (!attributes.ok()) {
    // Only the domain writes the text; the record stays readable meanwhile.
    logging::Error("channel " + std::to_string(channel.id) + ": " + attributes.status().ToString());
  }
  domain::WriteAttributes(w, attributes.ok() ? *attributes : domain::Attributes());
  w.EndObject();
}

void WritePerformer(json::JsonWriter& w, const storage::PerformerRecord& performer) {
  w.StartObject();
  w.Key("id");
  w.Uint(performer.id);
  w.Key("name");
  w.String(performer.name);
  StringOrNull(w, "country", performer.country);
  StringOrNull(w, "description", performer.description);
  StringOrNull(w, "date_of_birth", performer.date_of_birth);
  StringOrNull(w, "website", performer.website);
  StringOrNull(w, "picture_url", performer.picture_url);
  w.EndObject();
}

void WriteSong(json::JsonWriter& w, const storage::SongRecord& song,
               std::string_view performer_name) {
  w.StartObject();
  w.Key("id");
  w.Uint(song.id);
  w.Key("title");
  w.String(song.title);
  w.Key("performer");
  w.StartObject();
  w.Key("id");
  w.Uint(song.performer_id);
  w.Key("name");
  w.String(performer_name);
  w.EndObject();
  w.Key("duration");
  if (song.duration_seconds > 0) {
    w.Int(song.duration_seconds);
  } else {
    w.Null();
  }
  StringOrNull(w, "release", song.release);
  StringOrNull(w, "isrc", song.isrc);
  w.EndObject();
}

}  // namespace spinlog::api::v1
