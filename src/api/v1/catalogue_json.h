// The JSON of catalogue records in /api/v1 answers, one writer per kind so
// that a record reads the same alone (GET /{id}) and in a list:
//   channel    {"id","name","country" (or null),"audience" (or null),
//               "attributes" (an object, {} when none)}
//   performer  {"id","name","country","description","date_of_birth","website",
//               "picture_url"} (each optional field a string or null)
//   song       {"id","title","performer":{"id","name"},"duration" (seconds or
//               null),"release" (date or null),"isrc" (or null)}
#pragma once

#include <string_view>

#include "json/json_writer.h"
#include "storage/records.h"

namespace spinlog::api::v1 {

void WriteChannel(json::JsonWriter& w, const storage::ChannelRecord& channel);
void WritePerformer(json::JsonWriter& w, const storage::PerformerRecord& performer);
// `performer_name` is the name of song.performer_id.
void WriteSong(json::JsonWriter& w, const storage::SongRecord& song,
               std::string_view performer_name);

}  // namespace spinlog::api::v1
