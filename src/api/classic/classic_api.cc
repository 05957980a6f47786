#include "api/classic/classic_api.h"

#include <memory>
#include <optional>
#include <utility>

#include "api/request_fields.h"
#include "api/classic/classic_responses.h"
#include "api/classic/top_answer_cache.h"
#include "domain/play_rules.h"

namespace spinlog::api::classic {
namespace {

constexpr std::int64_t kDefaultTopLimit = 40;
constexpr std::int64_t kMaxTopLimit = 1000;

// A query window must not end before it starts; an empty window is fine.
void CheckWindow(UnixMicros from, UnixMicros to, FieldReader& in) {
  if (in.ok() && to < from) in.AddViolation("end", "must not be before start");
}

// Reads the request's fields and runs `body` with a FieldReader, answering
// 400 itself when the fields cannot even be decoded.
template <typename Body>
void WithFields(const http::Request& request, const http::Responder& respond, Body&& body) {
  Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) return respond(StatusResponse(fields.status()));
  FieldReader reader(*fields);
  body(reader);
}

void HandleAddChannel(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    std::string name = in.Name("name");
    if (!in.ok()) return respond(StatusResponse(in.status()));
    Result<storage::ChannelRecord> channel = s.catalogue->AddChannel(name);
    respond(channel.ok() ? NameResponse(channel->name) : StatusResponse(channel.status()));
  });
}

void HandleAddPerformer(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    std::string name = in.Name("name");
    if (!in.ok()) return respond(StatusResponse(in.status()));
    Result<storage::PerformerRecord> performer = s.catalogue->AddPerformer(name);
    respond(performer.ok() ? NameResponse(performer->name) : StatusResponse(performer.status()));
  });
}

void HandleAddSong(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    std::string title = in.Name("title");
    std::string performer = in.Name("performer");
    if (!in.ok()) return respond(StatusResponse(in.status()));
    Result<storage::SongRecord> song = s.catalogue->AddSong(performer, title);
    respond(song.ok() ? SongResponse(performer, song->title) : StatusResponse(song.status()));
  });
}

void HandleAddPlay(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    domain::PlayByNames play;
    play.title = in.Name("title");
    play.performer = in.Name("performer");
    play.channel = in.Name("channel");
    const std::size_t problems_before_times = in.violations()->size();
    play.start = domain::TruncateToSecond(in.Datetime("start"));
    play.end = domain::TruncateToSecond(in.Datetime("end"));
    // Only two valid datetimes can be checked against each other.
    if (in.violations()->size() == problems_before_times) {
      domain::CheckPlayTimes(play.start, play.end, in.violations());
    }
    if (!in.ok()) {
      s.plays->CountRefused(1);
      return respond(StatusResponse(in.status()));
    }
    s.plays->AddPlay(std::move(play), [respond](Result<domain::PlayByNames> stored) {
      respond(stored.ok() ? PlayResponse(*stored) : StatusResponse(stored.status()));
    });
  });
}

void HandleGetChannelPlays(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    std::string channel = in.Name("channel");
    UnixMicros from = in.Datetime("start");
    UnixMicros to = in.Datetime("end");
    CheckWindow(from, to, in);
    if (!in.ok()) return respond(StatusResponse(in.status()));
    Result<std::vector<domain::PlayByNames>> plays = s.plays->ChannelPlays(channel, from, to);
    respond(plays.ok() ? ChannelPlaysResponse(*plays) : StatusResponse(plays.status()));
  });
}

void HandleGetSongPlays(const Services& s, http::Request&& request, http::Responder respond) {
  WithFields(request, respond, [&](FieldReader& in) {
    std::string title = in.Name("title");
    std::string performer = in.Name("performer");
    UnixMicros from = in.Datetime("start");
    UnixMicros to = in.Datetime("end");
    CheckWindow(from, to, in);
    if (!in.ok()) return respond(StatusResponse(in.status()));
    Result<std::vector<domain::PlayByNames>> plays = s.plays->SongPlays(performer, title, from, to);
    respond(plays.ok() ? SongPlaysResponse(*plays) : StatusResponse(plays.status()));
  });
}

// get_top's caches (top_answer_cache.h), shared by its GET and POST routes.
struct TopCaches {
  TopQueryMemo queries;
  TopAnswerCache answers;
};

// What get_top's fields ask for; null (with the answer sent) when they are
// not valid. A query string seen before (with no body) is not decoded again.
std::shared_ptr<const TopQuery> ReadTopQuery(const http::Request& request,
                                             const http::Responder& respond, TopQueryMemo& memo) {
  // Without a body the fields come from the query string alone.
  const bool query_only = request.body.empty();
  if (query_only) {
    if (std::shared_ptr<const TopQuery> known = memo.Find(request.query)) return known;
  }
  std::shared_ptr<TopQuery> decoded;
  WithFields(request, respond, [&](FieldReader& in) {
    std::vector<std::string> names = in.NameList("channels");
    UnixMicros start = in.Datetime("start");
    std::int64_t limit = in.Limit("limit", kDefaultTopLimit, kMaxTopLimit);
    if (!in.ok()) return respond(StatusResponse(in.status()));
    decoded = std::make_shared<TopQuery>(std::move(names), start, limit);
  });
  if (decoded != nullptr && query_only) memo.Insert(request.query, decoded);
  return decoded;
}

// A repeated get_top is answered from the kept answers while nothing it
// reads has changed (TopAnswerCache): the ranking and the encoding are skipped.
void HandleGetTop(const Services& s, TopCaches& caches, http::Request&& request,
                  http::Responder respond) {
  const std::shared_ptr<const TopQuery> query = ReadTopQuery(request, respond, caches.queries);
  if (query == nullptr) return;
  // Resolved again only when the catalogue's names changed since last time.
  const std::uint64_t generation = s.catalogue->channel_names_generation();
  std::optional<std::vector<storage::ChannelId>> channels = query->resolved.Find(generation);
  if (!channels) {
    Result<std::vector<storage::ChannelId>> resolved = s.catalogue->ResolveChannels(query->names);
    if (!resolved.ok()) return respond(StatusResponse(resolved.status()));
    query->resolved.Set(generation, *resolved);
    channels = std::move(*resolved);
  }
  const UnixMicros start = query->start;
  const UnixMicros end = start + kMicrosPerWeek;
  // Read before Top computes: a play stored meanwhile makes the stamp newer
  // than the one kept, so the answer is computed again next time.
  const std::optional<charts::ChartService::TopStamp> stamp = s.charts->TopStampOf(start, end);
  TopAnswerCache::Key key;
  if (stamp) {
    key = TopAnswerCache::MakeKey(*channels, start, query->limit);
    if (std::optional<std::string> body = caches.answers.Find(key, *stamp)) {
      http::Response response;
      response.body = std::move(*body);
      return respond(std::move(response));
    }
  }
  Result<std::vector<charts::ChartEntry>> top =
      s.charts->Top(*channels, start, end, static_cast<std::size_t>(query->limit));
  if (!top.ok()) return respond(StatusResponse(top.status()));
  http::Response response = TopResponse(*top);
  if (stamp) caches.answers.Insert(std::move(key), *stamp, response.body);
  respond(std::move(response));
}

using ClassicHandler = void (*)(const Services&, http::Request&&, http::Responder);

void Add(const Services& services, http::Router* router, http::Method method, const char* path,
         bool is_write, ClassicHandler handler) {
  http::RouteAttributes attributes;
  attributes.is_write = is_write;
  attributes.max_body_bytes = kClassicMaxBodyBytes;
  router->Add(method, path, attributes,
              [&services, handler](http::Request&& request, http::Responder respond) {
                handler(services, std::move(request), std::move(respond));
              });
}

}  // namespace

void RegisterClassicRoutes(const Services& services, http::Router* router) {
  using http::Method;
  Add(services, router, Method::kPost, "/add_channel", true, HandleAddChannel);
  Add(services, router, Method::kPost, "/add_performer", true, HandleAddPerformer);
  Add(services, router, Method::kPost, "/add_song", true, HandleAddSong);
  Add(services, router, Method::kPost, "/add_play", true, HandleAddPlay);
  // Reads answer POST too: some clients send their fields in a body.
  for (Method method : {Method::kGet, Method::kPost}) {
    Add(services, router, method, "/get_channel_plays", false, HandleGetChannelPlays);
    Add(services, router, method, "/get_song_plays", false, HandleGetSongPlays);
  }
  // One cache for GET and POST: both read the same fields. From the charts'
  // rollup, channel names from the catalogue's cache: on the event loop.
  auto caches = std::make_shared<TopCaches>();
  http::RouteAttributes attributes;
  attributes.max_body_bytes = kClassicMaxBodyBytes;
  attributes.answers_from_memory = true;
  for (Method method : {Method::kGet, Method::kPost}) {
    router->Add(method, "/get_top", attributes,
                [&services, caches](http::Request&& request, http::Responder respond) {
                  HandleGetTop(services, *caches, std::move(request), std::move(respond));
                });
  }
}

}  // namespace spinlog::api::classic
