// GET /metrics over real HTTP, read by the reference Prometheus text parser
// (prometheus_client, through parse_metrics.py): the page parses, and its
// counters follow what the server did.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "e2e/eventually.h"
#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

struct Sample {
  std::string type;  // the family's: counter, gauge, histogram
  double value = 0;
};

// "name{label=\"value\",...}" (labels sorted) -> sample, as the parser read
// the page. Fails the test when it does not parse.
using Samples = std::map<std::string, Sample>;

Samples Parse(const std::string& page) {
  TempDir dir;
  const std::string path = dir.path() + "/page.txt";
  std::ofstream(path) << page;
  const std::string command =
      std::string(SPINLOG_PYTHON) + " " + SPINLOG_PARSE_METRICS + " < " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string output;
  char chunk[4096];
  std::size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), pipe)) > 0) output.append(chunk, n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << output
                       << "\n(install python3-prometheus-client: scripts/install-deps.sh)";
  Samples samples;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    start = end + 1;
    const std::size_t first = line.find(' ');
    const std::size_t last = line.rfind(' ');
    if (first == std::string::npos || first == last) continue;
    samples[line.substr(first + 1, last - first - 1)] = {line.substr(0, first),
                                                         std::stod(line.substr(last + 1))};
  }
  return samples;
}

Samples Scrape(std::uint16_t port) {
  const HttpResponse page = Get(port, "/metrics");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
      << page.Header("Content-Type");
  return Parse(page.body);
}

double Value(const Samples& samples, const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? 0 : it->second.value;
}

std::string AddPlayForm(const std::string& title) {
  return Form({{"channel", "C"},
               {"performer", "P"},
               {"title", title},
               {"start", "2020-01-01T10:00:00"},
               {"end", "2020-01-01T10:03:00"}});
}

TEST(Metrics, PageParsesAndCountsFollowRequests) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  const std::uint16_t port = server.port();
  const Samples before = Scrape(port);
  ASSERT_FALSE(before.empty());

  ASSERT_EQ(Post(port, "/add_play", AddPlayForm("A")).status, 200);  // created
  ASSERT_EQ(Post(port, "/add_play", AddPlayForm("A")).status, 200);  // duplicate
  ASSERT_EQ(Post(port, "/add_play", AddPlayForm("B")).status, 409);  // conflict
  const HttpResponse batch = Post(
      port, "/api/v1/plays",
      R"({"channel":"C","song_id":999,"start":"2020-01-02T00:00:00Z","end":"2020-01-02T00:03:00Z"})",
      "application/json");
  ASSERT_EQ(batch.status, 207) << batch.body;  // invalid: no song 999
  // Refused before the service: a batch item whose fields do not decode, and
  // a classic add_play with a bad start. Both count as invalid plays.
  const HttpResponse undecodable = Post(
      port, "/api/v1/plays",
      "{\"channel\":\"C\",\"performer\":\"P\",\"title\":\"T\",\"start\":\"soon\",\"end\":\"later\"}\n",
      "application/x-ndjson");
  ASSERT_EQ(undecodable.status, 207) << undecodable.body;
  ASSERT_EQ(Post(port, "/add_play",
                 "channel=C&performer=P&title=T&start=soon&end=2020-01-01T00%3A03%3A00")
                .status,
            400);
  ASSERT_EQ(Get(port, "/get_top?channels=%5B%22C%22%5D&start=2020-01-01").status, 200);
  Get(port, "/api/v1/songs/1/series?from=2020-01-01&to=2020-01-08");
  ASSERT_EQ(Get(port, "/no/such/path").status, 404);

  const Samples after = Scrape(port);
  auto delta = [&](const std::string& key) { return Value(after, key) - Value(before, key); };
  const std::string requests = "spinlog_http_requests_total";
  EXPECT_EQ(delta(requests + R"({method="POST",route="/add_play",status="200"})"), 2);
  EXPECT_EQ(delta(requests + R"({method="POST",route="/add_play",status="409"})"), 1);
  EXPECT_EQ(delta(requests + R"({method="POST",route="/add_play",status="400"})"), 1);
  EXPECT_EQ(delta(requests + R"({method="POST",route="/api/v1/plays",status="207"})"), 2);
  EXPECT_EQ(delta(requests + R"({method="GET",route="/get_top",status="200"})"), 1);
  EXPECT_EQ(delta(requests + R"({method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_GE(Value(after, requests + R"({method="GET",route="/metrics",status="200"})"), 1);
  EXPECT_EQ(after.at(requests + R"({method="POST",route="/add_play",status="200"})").type,
            "counter");
  // Routes are labelled by their pattern, never by the path sent.
  bool series_seen = false;
  for (const auto& [key, sample] : after) {
    EXPECT_EQ(key.find("/api/v1/songs/1"), std::string::npos) << key;
    EXPECT_EQ(key.find("/no/such/path"), std::string::npos) << key;
    series_seen |= key.find(R"(route="/api/v1/songs/{id}/series")") != std::string::npos;
  }
  EXPECT_TRUE(series_seen);

  const std::string duration = "spinlog_http_request_duration_seconds";
  const std::string add_play = R"(method="POST",route="/add_play")";
  EXPECT_EQ(delta(duration + "_count{" + add_play + "}"), 4);
  EXPECT_EQ(Value(after, duration + "_bucket{le=\"+Inf\"," + add_play + "}"),
            Value(after, duration + "_count{" + add_play + "}"));
  EXPECT_GT(Value(after, duration + "_sum{" + add_play + "}"), 0);
  EXPECT_EQ(after.at(duration + "_count{" + add_play + "}").type, "histogram");

  EXPECT_EQ(delta(R"(spinlog_plays_total{outcome="created"})"), 1);
  EXPECT_EQ(delta(R"(spinlog_plays_total{outcome="duplicate"})"), 1);
  EXPECT_EQ(delta(R"(spinlog_plays_total{outcome="conflict"})"), 1);
  EXPECT_EQ(delta(R"(spinlog_plays_total{outcome="invalid"})"), 3);

  // The created add_play went through the committer (the duplicate and the
  // conflict may be judged before it, from what the service remembers), one
  // play per request; the batch's unknown song and the undecodable items
  // never reached it.
  const double committed = delta("spinlog_ingest_commit_plays_sum{}");
  EXPECT_GE(committed, 1);
  EXPECT_LE(committed, 3);
  EXPECT_EQ(delta("spinlog_ingest_queue_wait_seconds_count{}"), committed);
  EXPECT_GE(delta("spinlog_ingest_commit_seconds_count{}"), 1);
  EXPECT_EQ(after.at("spinlog_ingest_commit_seconds_count{}").type, "histogram");
  EXPECT_EQ(Value(after, "spinlog_ingest_queued_plays{}"), 0);
  EXPECT_EQ(Value(after, "spinlog_ingest_queue_limit_plays{}"), 200000);
  EXPECT_EQ(Value(after, "spinlog_ingest_refused_total{}"), 0);
  EXPECT_EQ(Value(after, "spinlog_ingest_commit_errors_total{}"), 0);

  EXPECT_EQ(Value(after, "spinlog_chart_rollup_counts{}"), 1);
  EXPECT_EQ(after.at("spinlog_chart_rollup_counts{}").type, "gauge");
  EXPECT_GE(Value(after, "spinlog_http_open_connections{}"), 1);
  EXPECT_GT(Value(after, "spinlog_uptime_seconds{}"), 0);
  EXPECT_GT(Value(after, "spinlog_process_start_time_seconds{}"), 1.5e9);
  EXPECT_EQ(Value(after, R"(spinlog_build_info{version="0.1.0"})"), 1);
  EXPECT_GT(Value(after, "spinlog_store_memtable_bytes{}"), 0);
  EXPECT_EQ(Value(after, "spinlog_store_block_cache_capacity_bytes{}"), 128 << 20);
  EXPECT_EQ(after.at("spinlog_store_background_errors_total{}").type, "counter");
}

// The gauge of open connections once it shows `expected` (up to 10 s), read
// on a connection of its own (counted too).
double AwaitOpenConnections(std::uint16_t port, double expected) {
  double value = -1;
  Eventually([&] {
    value = Value(Scrape(port), "spinlog_http_open_connections{}");
    return value == expected;
  });
  return value;
}

TEST(Metrics, OpenConnectionsFollowClients) {
  TempDir dir;
  ServerProcess server;
  ASSERT_TRUE(server.Start(dir.path())) << server.Log();
  {
    std::unique_ptr<HttpConnection> clients[3];
    for (auto& client : clients) {
      client = std::make_unique<HttpConnection>(server.port());
      ASSERT_EQ(client->Request("GET", "/healthz").status, 200);
    }
    EXPECT_EQ(AwaitOpenConnections(server.port(), 4), 4);
  }
  EXPECT_EQ(AwaitOpenConnections(server.port(), 1), 1);
}

}  // namespace
}  // namespace spinlog::e2e
