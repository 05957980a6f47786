#include "api/v1/play_item.h"

#include <utility>

#include "domain/play_rules.h"
#include "json/json_reader.h"
#include "json/string_object_reader.h"

namespace spinlog::api::v1 {

PlayItem DecodePlayFields(const RequestFields& fields, std::size_t line) {
  PlayItem item;
  item.line = line;
  FieldReader in(fields);
  domain::PlayInput play;
  play.channel_id = in.OptionalId("channel_id");
  if (!in.Has("channel_id")) play.channel = in.Name("channel");
  play.song_id = in.OptionalId("song_id");
  if (!in.Has("song_id")) {
    play.performer = in.Name("performer");
    play.title = in.Name("title");
  }
  const std::size_t problems_before_times = in.violations()->size();
  play.start = domain::TruncateToSecond(in.Datetime("start"));
  play.end = domain::TruncateToSecond(in.Datetime("end"));
  // Only two valid datetimes can be checked against each other.
  if (in.violations()->size() == problems_before_times) {
    domain::CheckPlayTimes(play.start, play.end, in.violations());
  }
  if (in.ok()) {
    item.play = std::move(play);
  } else {
    item.problems = std::move(*in.violations());
  }
  return item;
}

PlayItem DecodePlayMembers(std::span<const std::pair<std::string_view, std::string_view>> members,
                           std::size_t line) {
  // Reused: building fresh fields cost two allocations per item (the 19-byte
  // times do not fit in a short string).
  thread_local RequestFields fields;
  fields.AssignPairs(members);
  return DecodePlayFields(fields, line);
}

PlayItem DecodePlayItem(std::string_view json_text, std::size_t line) {
  // Nearly every item is an object of strings: one parse, no owned members.
  // The reader accepts nothing that ParseJsonObject would read differently.
  thread_local json::StringObjectReader reader;
  if (reader.Read(json_text)) return DecodePlayMembers(reader.members(), line);
  Result<std::vector<json::JsonMember>> members = json::ParseJsonObject(json_text);
  if (!members.ok()) {
    PlayItem item;
    item.line = line;
    item.problems.push_back({"item", members.status().message()});
    return item;
  }
  return DecodePlayFields(RequestFields::FromJsonMembers(std::move(members).value()), line);
}

}  // namespace spinlog::api::v1
