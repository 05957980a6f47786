#include "api/v1/series_api.h"

#include <optional>
#include <string>
#include <vector>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/channel_set.h"
#include "api/v1/path_id.h"
#include "api/v1/v1_responses.h"
#include "charts/chart_period.h"
#include "json/json_writer.h"
#include "text/datetime.h"
#include "text/quoting.h"

namespace spinlog::api::v1 {
namespace {

using Step = charts::ChartService::Step;

enum class Subject { kSong, kPerformer, kChannel };

struct SeriesRequest {
  std::uint32_t id = 0;
  std::vector<Step> steps;
  std::string step_name;
  std::optional<std::vector<storage::ChannelId>> channels;  // null: every channel
};

// The steps of `kind` covering days [first_day, end_day), cut at both ends.
std::vector<Step> StepsOf(charts::PeriodKind kind, std::int64_t first_day, std::int64_t end_day) {
  std::vector<Step> steps;
  for (std::int64_t day = first_day; day < end_day;) {
    const std::optional<charts::Period> period =
        charts::PeriodContaining(kind, day * kMicrosPerDay);
    const std::int64_t next = period ? std::min(DayOf(period->to), end_day) : end_day;
    steps.push_back({day, next});
    day = next;
  }
  return steps;
}

Result<SeriesRequest> ReadSeriesRequest(const Services& s, Subject subject,
                                        const http::Request& request) {
  SeriesRequest series;
  const std::string what = subject == Subject::kSong        ? "song"
                           : subject == Subject::kPerformer ? "performer"
                                                            : "channel";
  // The subject first: a series of nothing is a 404 whatever the parameters.
  SPINLOG_ASSIGN_OR_RETURN(series.id, PathId(request, what));
  Status exists;
  switch (subject) {
    case Subject::kSong:
      exists = s.catalogue->GetSong(series.id).status();
      break;
    case Subject::kPerformer:
      exists = s.catalogue->GetPerformer(series.id).status();
      break;
    case Subject::kChannel:
      exists = s.catalogue->GetChannel(series.id).status();
      break;
  }
  SPINLOG_RETURN_IF_ERROR(exists);

  SPINLOG_ASSIGN_OR_RETURN(RequestFields fields, RequestFields::Read(request));
  FieldReader in(fields);
  const UnixMicros from = in.Datetime("from");
  const UnixMicros to = in.Datetime("to");
  series.step_name = in.OptionalString("step", "day");
  const std::optional<charts::PeriodKind> kind = charts::ParsePeriodKind(series.step_name);
  if (!kind || *kind == charts::PeriodKind::kYear) {
    in.AddViolation("step", "must be day, week or month, not " +
                                text::QuoteForMessage(series.step_name));
  }
  std::optional<ChannelSetReader> channel_set;
  if (subject == Subject::kChannel) {
    if (in.Has("channel_id") || in.Has("group")) {
      in.AddViolation("channel_id", "a channel's series is of that channel only");
    }
  } else {
    channel_set.emplace(in);
  }
  if (in.ok()) {
    if (from % kMicrosPerDay != 0) in.AddViolation("from", "must be a UTC midnight (a date)");
    if (to % kMicrosPerDay != 0) in.AddViolation("to", "must be a UTC midnight (a date)");
  }
  if (in.ok() && to <= from) in.AddViolation("to", "must be after from");
  if (in.ok() && DayOf(to) - DayOf(from) > static_cast<std::int64_t>(kMaxSeriesSteps) &&
      *kind == charts::PeriodKind::kDay) {
    in.AddViolation("to", "a series has at most " + std::to_string(kMaxSeriesSteps) + " steps");
  }
  if (!in.ok()) return in.status();
  series.steps = StepsOf(*kind, DayOf(from), DayOf(to));
  if (series.steps.size() > kMaxSeriesSteps) {
    return Status::InvalidFields(
        {{"to", "a series has at most " + std::to_string(kMaxSeriesSteps) + " steps"}});
  }
  if (channel_set && !channel_set->absent()) {
    SPINLOG_ASSIGN_OR_RETURN(series.channels, channel_set->Resolve(s));
  }
  return series;
}

// "YYYY-MM-DDT00:00:00Z" for the UTC midnight starting `day`, into *out
// (its capacity reused).
void FormatMidnightInto(std::int64_t day, std::string* out) {
  out->clear();
  text::AppendDatetimeSeconds(day * kMicrosPerDay, out);
  *out += 'Z';
}

void WriteSubject(json::JsonWriter& w, const Services& s, Subject subject, std::uint32_t id) {
  switch (subject) {
    case Subject::kSong: {
      const Result<storage::SongRecord> song = s.catalogue->GetSong(id);
      const Result<storage::PerformerRecord> performer =
          song.ok() ? s.catalogue->GetPerformer(song->performer_id)
                    : Result<storage::PerformerRecord>(song.status());
      w.Key("song");
      w.StartObject();
      w.Key("id");
      w.Uint(id);
      w.Key("title");
      w.String(song.ok() ? song->title : "");
      w.Key("performer");
      w.StartObject();
      w.Key("id");
      w.Uint(song.ok() ? song->performer_id : 0);
      w.Key("name");
      w.String(performer.ok() ? performer->name : "");
      w.EndObject();
      w.EndObject();
      break;
    }
    case Subject::kPerformer: {
      const Result<storage::PerformerRecord> performer = s.catalogue->GetPerformer(id);
      w.Key("performer");
      w.StartObject();
      w.Key("id");
      w.Uint(id);
      w.Key("name");
      w.String(performer.ok() ? performer->name : "");
      w.EndObject();
      break;
    }
    case Subject::kChannel: {
      const Result<storage::ChannelRecord> channel = s.catalogue->GetChannel(id);
      w.Key("channel");
      w.StartObject();
      w.Key("id");
      w.Uint(id);
      w.Key("name");
      w.String(channel.ok() ? channel->name : "");
      w.EndObject();
      break;
    }
  }
}

void HandleSeries(const Services& s, Subject subject, http::Request&& request,
                  http::Responder respond) {
  Result<SeriesRequest> series = ReadSeriesRequest(s, subject, request);
  if (!series.ok()) return respond(ErrorResponse(series.status()));
  std::vector<charts::ChartService::SeriesPoint> points;
  if (subject == Subject::kChannel) {
    const storage::ChannelId channel = series->id;
    points = s.charts->ChannelSeries({&channel, 1}, series->steps);
  } else {
    const std::vector<storage::SongId> songs = subject == Subject::kSong
                                                   ? std::vector<storage::SongId>{series->id}
                                                   : s.charts->SongsOf(series->id);
    points = s.charts->SongSeries(songs, series->channels ? &*series->channels : nullptr,
                                  series->steps);
  }
  json::JsonWriter w;
  w.StartObject();
  WriteSubject(w, s, subject, series->id);
  w.Key("from");
  w.String(text::FormatDatetimeUtc(series->steps.front().first_day * kMicrosPerDay));
  w.Key("to");
  w.String(text::FormatDatetimeUtc(series->steps.back().end_day * kMicrosPerDay));
  w.Key("step");
  w.String(series->step_name);
  if (subject != Subject::kChannel) {
    w.Key("channel_ids");
    if (series->channels) {
      w.StartArray();
      for (storage::ChannelId channel : *series->channels) w.Uint(channel);
      w.EndArray();
    } else {
      w.Null();  // every channel
    }
  }
  w.Key("points");
  w.StartArray();
  // Steps are consecutive: each step's "from" is the previous one's "to", so
  // every boundary is formatted once, into two reused buffers (a 30-day
  // series wrote 62 datetimes, each a heap-allocated string, about a tenth of
  // its CPU time).
  std::string from_text;
  std::string to_text;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0 && series->steps[i].first_day == series->steps[i - 1].end_day) {
      std::swap(from_text, to_text);
    } else {
      FormatMidnightInto(series->steps[i].first_day, &from_text);
    }
    FormatMidnightInto(series->steps[i].end_day, &to_text);
    w.StartObject();
    w.Key("from");
    w.String(from_text);
    w.Key("to");
    w.String(to_text);
    w.Key("plays");
    w.Int(points[i].plays);
    if (subject == Subject::kChannel) {
      w.Key("songs");
      w.Int(points[i].songs);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  SetCacheControl(CacheControlForRange(series->steps.back().end_day * kMicrosPerDay), &response);
  respond(std::move(response));
}

// GET /api/v1/songs/{id}/chart-history: rank and plays per period.
void HandleChartHistory(const Services& s, http::Request&& request, http::Responder respond) {
  const Result<std::uint32_t> path_id = PathId(request, "song");
  if (!path_id.ok()) return respond(ErrorResponse(path_id.status()));
  const std::uint32_t id = *path_id;
  const Status exists = s.catalogue->GetSong(id).status();
  if (!exists.ok()) return respond(ErrorResponse(exists));
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(ErrorResponse(fields.status()));
  FieldReader in(*fields);
  const ChannelSetReader channel_set(in);
  if (channel_set.absent()) in.AddViolation("channel_id", "missing: give channel_id or group");
  const std::string period = in.OptionalString("period", "week");
  const std::optional<charts::PeriodKind> kind = charts::ParsePeriodKind(period);
  if (!kind) {
    in.AddViolation("period",
                    "must be day, week, month or year, not " + text::QuoteForMessage(period));
  }
  const UnixMicros from = in.Datetime("from");
  const UnixMicros to = in.Datetime("to");
  if (in.ok() && to <= from) in.AddViolation("to", "must be after from");
  if (!in.ok()) return respond(ErrorResponse(in.status()));
  // The calendar periods holding `from` through the one holding to - 1.
  std::vector<std::pair<UnixMicros, UnixMicros>> periods;
  for (UnixMicros at = from; at < to;) {
    const std::optional<charts::Period> p = charts::PeriodContaining(*kind, at);
    if (!p) break;
    if (periods.size() == kMaxHistoryPeriods) {
      return respond(ErrorResponse(Status::InvalidFields(
          {{"to", "a chart history has at most " + std::to_string(kMaxHistoryPeriods) +
                      " periods"}})));
    }
    periods.emplace_back(p->from, p->to);
    at = p->to;
  }
  Result<std::vector<storage::ChannelId>> channels = channel_set.Resolve(s);
  if (!channels.ok()) return respond(ErrorResponse(channels.status()));
  Result<std::vector<charts::ChartService::Standing>> standings =
      s.charts->SongStandings(id, *channels, periods);
  if (!standings.ok()) return respond(ErrorResponse(standings.status()));
  json::JsonWriter w;
  w.StartObject();
  WriteSubject(w, s, Subject::kSong, id);
  w.Key("chart");
  w.StartObject();
  w.Key("channel_ids");
  w.StartArray();
  for (storage::ChannelId channel : *channels) w.Uint(channel);
  w.EndArray();
  w.Key("period");
  w.String(period);
  w.EndObject();
  w.Key("points");
  w.StartArray();
  for (std::size_t i = 0; i < periods.size(); ++i) {
    w.StartObject();
    w.Key("from");
    w.String(text::FormatDatetimeUtc(periods[i].first));
    w.Key("to");
    w.String(text::FormatDatetimeUtc(periods[i].second));
    w.Key("rank");
    if ((*standings)[i].rank > 0) {
      w.Int((*standings)[i].rank);
    } else {
      w.Null();
    }
    w.Key("plays");
    w.Int((*standings)[i].plays);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  // The last period may end after `to`: the answer is about all of it.
  SetCacheControl(CacheControlForRange(periods.back().second), &response);
  respond(std::move(response));
}

}  // namespace

void RegisterSeriesRoutes(const Services& services, http::Router* router) {
  const std::pair<const char*, Subject> routes[] = {
      {"/api/v1/songs/{id}/series", Subject::kSong},
      {"/api/v1/performers/{id}/series", Subject::kPerformer},
      {"/api/v1/channels/{id}/series", Subject::kChannel}};
  router->Add(http::Method::kGet, "/api/v1/songs/{id}/chart-history", MemoryGetRouteAttributes(),
              [&services](http::Request&& request, http::Responder respond) {
                HandleChartHistory(services, std::move(request), std::move(respond));
              });
  for (const auto& [path, subject] : routes) {
    router->Add(http::Method::kGet, path, MemoryGetRouteAttributes(),
                [&services, subject = subject](http::Request&& request, http::Responder respond) {
                  HandleSeries(services, subject, std::move(request), std::move(respond));
                });
  }
}

}  // namespace spinlog::api::v1
