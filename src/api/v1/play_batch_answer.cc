#include "api/v1/play_batch_answer.h"

#include <cstddef>
#include <string>
#include <vector>

#include "api/v1/v1_responses.h"
#include "json/json_writer.h"
#include "text/datetime.h"

namespace spinlog::api::v1 {
namespace {

// Bytes of answer per item to reserve: a created play's result with W1-like
// names takes about 160, without the play about 40.
constexpr std::size_t kResultBytesGuess = 192;
constexpr std::size_t kMinimalResultBytesGuess = 48;

// `scratch` holds each datetime's text in turn: one buffer for the whole
// answer instead of two heap strings per play (20 bytes do not fit in a
// short string).
void WritePlay(json::JsonWriter& w, const domain::PlayByNames& play, std::string* scratch) {
  w.StartObject();
  w.Key("channel");
  w.String(play.channel);
  w.Key("performer");
  w.String(play.performer);
  w.Key("title");
  w.String(play.title);
  w.Key("start");
  scratch->clear();
  text::AppendDatetimeUtc(play.start, scratch);
  w.String(*scratch);
  w.Key("end");
  scratch->clear();
  text::AppendDatetimeUtc(play.end, scratch);
  w.String(*scratch);
  w.EndObject();
}

}  // namespace

http::Response PlayBatchAnswer(std::span<const PlayItem> items,
                               std::span<const domain::PlayResult> stored,
                               PlayResultDetail detail) {
  std::size_t counts[4] = {0, 0, 0, 0};
  json::JsonWriter w;
  // Room for the whole answer at once: growing by doubling copied it over
  // and over.
  const bool minimal = detail == PlayResultDetail::kMinimal;
  w.Reserve(64 + items.size() * (minimal ? kMinimalResultBytesGuess : kResultBytesGuess));
  std::string scratch;
  w.StartObject();
  w.Key("results");
  w.StartArray();
  std::size_t next = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const PlayItem& item = items[i];
    w.StartObject();
    w.Key("index");
    w.Uint(i);
    if (item.line != 0) {
      w.Key("line");
      w.Uint(item.line);
    }
    domain::PlayOutcome outcome = domain::PlayOutcome::kInvalid;
    if (!item.play) {
      w.Key("status");
      w.String("invalid");
      w.Key("errors");
      WriteFieldViolations(w, item.problems);
    } else {
      const domain::PlayResult& result = stored[next++];
      outcome = result.outcome;
      w.Key("status");
      w.String(domain::PlayOutcomeName(outcome));
      if (outcome == domain::PlayOutcome::kInvalid) {
        w.Key("errors");
        WriteFieldViolations(w, result.problems);
      } else if (outcome == domain::PlayOutcome::kConflict) {
        w.Key("existing");
        WritePlay(w, result.play, &scratch);
      } else if (!minimal) {
        w.Key("play");
        WritePlay(w, result.play, &scratch);
      }
    }
    ++counts[static_cast<int>(outcome)];
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts");
  w.StartObject();
  for (domain::PlayOutcome o : {domain::PlayOutcome::kCreated, domain::PlayOutcome::kDuplicate,
                                domain::PlayOutcome::kConflict, domain::PlayOutcome::kInvalid}) {
    w.Key(domain::PlayOutcomeName(o));
    w.Uint(counts[static_cast<int>(o)]);
  }
  w.EndObject();
  w.EndObject();
  http::Response response;
  const bool all_stored = counts[static_cast<int>(domain::PlayOutcome::kConflict)] == 0 &&
                          counts[static_cast<int>(domain::PlayOutcome::kInvalid)] == 0;
  response.status = all_stored ? 200 : 207;
  response.body = w.Take();
  return response;
}

}  // namespace spinlog::api::v1
