// libFuzzer target for NDJSON bodies of POST /api/v1/plays (and import
// files): the body split into lines as the route splits it, each line
// decoded by DecodePlayItem.
//
// Checks, any failure of which calls abort():
//   - every item is either a play or a list of named problems, never both
//     or neither, and carries its line number;
//   - a decoded play, written back as a JSON object with its (normalised)
//     names or ids and its times in ISO 8601, decodes to the same play.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/v1/play_item.h"
#include "json/json_writer.h"
#include "text/datetime.h"

namespace spinlog::api::v1 {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "ndjson_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

std::string Encode(const domain::PlayInput& play) {
  json::JsonWriter w;
  w.StartObject();
  if (play.channel_id != 0) {
    w.Key("channel_id");
    w.Uint(play.channel_id);
  } else {
    w.Key("channel");
    w.String(play.channel);
  }
  if (play.song_id != 0) {
    w.Key("song_id");
    w.Uint(play.song_id);
  } else {
    w.Key("performer");
    w.String(play.performer);
    w.Key("title");
    w.String(play.title);
  }
  w.Key("start");
  w.String(text::FormatDatetimeUtc(play.start));
  w.Key("end");
  w.String(text::FormatDatetimeUtc(play.end));
  w.EndObject();
  return w.Take();
}

bool Same(const domain::PlayInput& a, const domain::PlayInput& b) {
  return a.channel == b.channel && a.channel_id == b.channel_id && a.performer == b.performer &&
         a.title == b.title && a.song_id == b.song_id && a.start == b.start && a.end == b.end;
}

}  // namespace
}  // namespace spinlog::api::v1

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::api::v1;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // As POST /api/v1/plays splits an NDJSON body (api/v1/plays_api.cc).
  std::size_t line = 0;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) eol = body.size();
    const std::string_view text = body.substr(pos, eol - pos);
    ++line;
    pos = eol + 1;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const PlayItem item = DecodePlayItem(text, line);
    Check(item.line == line, "line number");
    Check(item.play.has_value() != !item.problems.empty(), "a play xor problems");
    for (const auto& problem : item.problems) {
      Check(!problem.field.empty() && !problem.problem.empty(), "problem names its field");
    }
    if (item.play) {
      const PlayItem again = DecodePlayItem(Encode(*item.play), line);
      Check(again.play.has_value(), "a decoded play written back does not decode");
      Check(Same(*item.play, *again.play), "a decoded play written back decodes differently");
    }
  }
  return 0;
}
