#include "api/v1/catalogue_json.h"

namespace spinlog::api::v1 {

void WriteChannel(json::JsonWriter& w, const storage::ChannelRecord& channel) {
  w.StartObject();
  w.Key("id");
  w.Uint(channel.id);
  w.Key("name");
  w.String(channel.name);
  w.Key("country");
  if (channel.country.empty()) {
    w.Null();
  } else {
    w.String(channel.country);
  }
  w.Key("audience");
  if (channel.audience < 0) {
    w.Null();
  } else {
    w.Int(channel.audience);
  }
  w.EndObject();
}

void WritePerformer(json::JsonWriter& w, const storage::PerformerRecord& performer) {
  w.StartObject();
  w.Key("id");
  w.Uint(performer.id);
  w.Key("name");
  w.String(performer.name);
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
  w.EndObject();
}

}  // namespace spinlog::api::v1
