#include "api/v1/charts_api.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "api/request_fields.h"
#include "api/v1/cache_control.h"
#include "api/v1/channel_set.h"
#include "api/v1/cursor.h"
#include "api/v1/v1_responses.h"
#include "charts/chart_period.h"
#include "json/json_writer.h"
#include "text/datetime.h"
#include "text/quoting.h"

namespace spinlog::api::v1 {
namespace {

struct ChartRequest {
  std::vector<storage::ChannelId> channels;
  UnixMicros from = 0;
  UnixMicros to = 0;
  std::size_t offset = 0;
  std::size_t limit = 0;
  bool weighted = false;
};

// Which chart a cursor belongs to: the channels as given, and the range.
std::uint64_t FingerprintOf(const ChartRequest& chart) {
  Fingerprint fingerprint;
  for (storage::ChannelId channel : chart.channels) fingerprint.Add(channel);
  fingerprint.Add(static_cast<std::uint64_t>(chart.from)).Add(static_cast<std::uint64_t>(chart.to));
  fingerprint.Add(chart.weighted ? 1 : 0);
  return fingerprint.value();
}

// Reads the request; an error Status names every bad field.
Result<ChartRequest> ReadChartRequest(const Services& s, const http::Request& request) {
  SPINLOG_ASSIGN_OR_RETURN(RequestFields fields, RequestFields::Read(request));
  FieldReader in(fields);
  ChartRequest chart;
  const ChannelSetReader channel_set(in);
  if (channel_set.absent()) in.AddViolation("channel_id", "missing: give channel_id or group");
  const bool by_period = in.Has("period") || in.Has("start");
  const bool by_range = in.Has("from") || in.Has("to");
  if (by_period && by_range) {
    in.AddViolation("period", "give either period and start, or from and to, not both");
  } else if (by_range) {
    chart.from = in.Datetime("from");
    chart.to = in.Datetime("to");
    if (in.ok() && chart.to <= chart.from) in.AddViolation("to", "must be after from");
  } else {
    const std::string period = in.OptionalString("period", "");
    const UnixMicros start = in.Datetime("start");
    const std::optional<charts::PeriodKind> kind = charts::ParsePeriodKind(period);
    if (!in.Has("period")) {
      in.AddViolation("period", "missing: give period (day, week, month or year) and start, "
                                "or from and to");
    } else if (!kind) {
      in.AddViolation("period", "must be day, week, month or year, not " + text::QuoteForMessage(period));
    } else if (in.ok()) {
      const std::optional<charts::Period> range = charts::PeriodContaining(*kind, start);
      if (!range) {
        in.AddViolation("start", "is too far from 1970 for a " + period);
      } else {
        chart.from = range->from;
        chart.to = range->to;
      }
    }
  }
  chart.limit = static_cast<std::size_t>(in.Limit("limit", kDefaultChartLimit, kMaxChartLimit));
  const std::string cursor_text = in.OptionalString("cursor", "");
  if (const FieldValue* weighted = fields.Find("weighted")) {
    if (weighted->text == "true" || weighted->text == "1") {
      chart.weighted = true;
    } else if (weighted->text != "false" && weighted->text != "0") {
      in.AddViolation("weighted", "must be true or false, not " + text::QuoteForMessage(weighted->text));
    }
  }
  if (!in.ok()) return in.status();
  SPINLOG_ASSIGN_OR_RETURN(chart.channels, channel_set.Resolve(s));
  if (chart.from < std::numeric_limits<UnixMicros>::min() + (chart.to - chart.from)) {
    return Status::InvalidFields({{"from", "leaves no room for the previous period"}});
  }
  if (!cursor_text.empty()) {
    const std::optional<Cursor> cursor = DecodeCursor(cursor_text);
    if (!cursor) return Status::InvalidFields({{"cursor", "is not a cursor of this API"}});
    if (cursor->fingerprint != FingerprintOf(chart)) {
      return Status::InvalidFields(
          {{"cursor", "belongs to another chart (other channels or period)"}});
    }
    chart.offset = static_cast<std::size_t>(cursor->position);
  }
  return chart;
}

http::Response ChartResponse(const ChartRequest& chart, const charts::ChartPage& page) {
  json::JsonWriter w;
  w.StartObject();
  w.Key("chart");
  w.StartObject();
  w.Key("channel_ids");
  w.StartArray();
  for (storage::ChannelId channel : chart.channels) w.Uint(channel);
  w.EndArray();
  w.Key("from");
  w.String(text::FormatDatetimeUtc(chart.from));
  w.Key("to");
  w.String(text::FormatDatetimeUtc(chart.to));
  w.Key("previous_from");
  w.String(text::FormatDatetimeUtc(chart.from - (chart.to - chart.from)));
  w.Key("total");
  w.Uint(page.total);
  w.Key("weighted");
  w.Bool(chart.weighted);
  if (chart.weighted) {
    // Channels without an audience figure weigh 0: say which they are.
    w.Key("unweighted_channel_ids");
    w.StartArray();
    for (storage::ChannelId channel : page.unweighted_channels) w.Uint(channel);
    w.EndArray();
  }
  w.EndObject();
  w.Key("entries");
  w.StartArray();
  for (const charts::ChartRow& row : page.rows) {
    w.StartObject();
    w.Key("rank");
    w.Int(row.rank);
    w.Key("song");
    w.StartObject();
    w.Key("id");
    w.Uint(row.song);
    w.Key("title");
    w.String(row.title);
    w.Key("performer");
    w.StartObject();
    w.Key("id");
    w.Uint(row.performer_id);
    w.Key("name");
    w.String(row.performer);
    w.EndObject();
    w.EndObject();
    w.Key("plays");
    w.Int(row.plays);
    w.Key("previous_plays");
    w.Int(row.previous_plays);
    if (chart.weighted) {
      w.Key("score");
      w.Int(row.score);
      w.Key("previous_score");
      w.Int(row.previous_score);
    }
    w.Key("previous_rank");
    if (row.previous_rank) {
      w.Int(*row.previous_rank);
    } else {
      w.Null();
    }
    w.Key("movement");
    w.String(charts::MovementName(row.movement));
    w.Key("peak_rank");
    w.Int(row.peak_rank);
    w.Key("periods_on_chart");
    w.Int(row.periods_on_chart);
    w.Key("bullet");
    w.Bool(row.bullet);
    w.EndObject();
  }
  w.EndArray();
  w.Key("next");
  const std::size_t end = chart.offset + page.rows.size();
  if (end < page.total && !page.rows.empty()) {
    w.String(EncodeCursor({end, FingerprintOf(chart)}));
  } else {
    w.Null();
  }
  w.EndObject();
  http::Response response;
  response.body = w.Take();
  SetCacheControl(CacheControlForRange(chart.to), &response);
  return response;
}

void HandleGetChart(const Services& s, http::Request&& request, http::Responder respond) {
  Result<ChartRequest> chart = ReadChartRequest(s, request);
  if (!chart.ok()) return respond(ErrorResponse(chart.status()));
  charts::ChartQuery query;
  query.channels = chart->channels;
  query.from = chart->from;
  query.to = chart->to;
  query.offset = chart->offset;
  query.limit = chart->limit;
  query.weighted = chart->weighted;
  Result<charts::ChartPage> page = s.charts->Chart(query);
  respond(page.ok() ? ChartResponse(*chart, *page) : ErrorResponse(page.status()));
}

}  // namespace

void RegisterChartRoutes(const Services& services, http::Router* router) {
  router->Add(http::Method::kGet, "/api/v1/charts", MemoryGetRouteAttributes(),
              [&services](http::Request&& request, http::Responder respond) {
                HandleGetChart(services, std::move(request), std::move(respond));
              });
}

}  // namespace spinlog::api::v1
