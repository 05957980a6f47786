#include "observability/http_metrics.h"

#include <algorithm>
#include <map>
#include <set>

namespace spinlog::observability {
namespace {

// Request durations, in microseconds: the server answers most reads in tens
// of microseconds, durable writes in about a millisecond, and cold charts
// over thousands of channels in tens of milliseconds.
constexpr std::uint64_t kDurationBoundsMicros[] = {
    25,    50,    100,    250,    500,    1000,    2500,    5000,    10000,
    25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
constexpr double kMicrosPerSecond = 1e6;

constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr std::size_t kStatusSlots = kLastStatus - kFirstStatus + 2;  // + "other"

std::size_t StatusSlot(int status) {
  if (status < kFirstStatus || status > kLastStatus) return kStatusSlots - 1;
  return static_cast<std::size_t>(status - kFirstStatus);
}

}  // namespace

HttpMetrics::MethodStats::MethodStats()
    : duration(kDurationBoundsMicros),
      statuses(std::make_unique<std::atomic<std::uint64_t>[]>(kStatusSlots)) {}

HttpMetrics::HttpMetrics(const http::Router& router) {
  // Patterns in a stable order (by text), so that pages read alike.
  std::map<std::string, std::set<http::Method>> served;
  for (const auto& [method, pattern] : router.Routes()) {
    std::set<http::Method>& methods = served[pattern];
    methods.insert(method);
    if (method == http::Method::kGet) methods.insert(http::Method::kHead);
  }
  routes_.resize(served.size() + 1);
  std::size_t i = 0;
  for (const auto& [pattern, methods] : served) {
    routes_[i].pattern = pattern;
    for (http::Method method : methods) {
      routes_[i].methods[static_cast<std::size_t>(method)] = std::make_unique<MethodStats>();
    }
    ++i;
  }
  RouteStats& unmatched = routes_.back();
  unmatched.pattern = kUnmatchedRoute;
  for (auto& stats : unmatched.methods) stats = std::make_unique<MethodStats>();
  // Only now that routes_ no longer grows do its patterns stay put.
  for (std::size_t r = 0; r + 1 < routes_.size(); ++r) index_.emplace(routes_[r].pattern, r);
}

void HttpMetrics::OnConnectionOpened() {
  open_connections_.fetch_add(1, std::memory_order_relaxed);
}

void HttpMetrics::OnConnectionClosed() {
  open_connections_.fetch_sub(1, std::memory_order_relaxed);
}

HttpMetrics::MethodStats& HttpMetrics::StatsFor(std::string_view route, http::Method method) {
  const auto m = static_cast<std::size_t>(method);
  if (!route.empty()) {
    if (auto it = index_.find(route); it != index_.end()) {
      if (MethodStats* stats = routes_[it->second].methods[m].get()) return *stats;
    }
  }
  return *routes_.back().methods[m];
}

void HttpMetrics::OnRequestAnswered(const http::AccessLogEntry& entry) {
  MethodStats& stats = StatsFor(entry.route, entry.method);
  stats.statuses[StatusSlot(entry.status)].fetch_add(1, std::memory_order_relaxed);
  const auto micros = entry.duration.count();
  stats.duration.Observe(micros > 0 ? static_cast<std::uint64_t>(micros) : 0);
}

void HttpMetrics::Write(PrometheusText& page) const {
  using Type = PrometheusText::Type;
  page.Family("spinlog_http_requests_total", Type::kCounter,
              "HTTP requests answered, by route pattern (\"unmatched\" when no route served "
              "it), method and status.");
  ForEachSeries([&](const std::string& route, const char* method, const MethodStats& stats) {
    for (std::size_t slot = 0; slot < kStatusSlots; ++slot) {
      const std::uint64_t count = stats.statuses[slot].load(std::memory_order_relaxed);
      if (count == 0) continue;
      const std::string status = slot + 1 == kStatusSlots
                                     ? std::string("other")
                                     : std::to_string(kFirstStatus + static_cast<int>(slot));
      page.Sample("spinlog_http_requests_total",
                  {{"route", route}, {"method", method}, {"status", status}}, count);
    }
  });

  page.Family("spinlog_http_request_duration_seconds", Type::kHistogram,
              "Time from a request being received to its answer being handed to the "
              "connection, by route pattern and method.");
  ForEachSeries([&](const std::string& route, const char* method, const MethodStats& stats) {
    const Histogram::Snapshot snapshot = stats.duration.Take();
    if (snapshot.count() == 0) return;
    page.HistogramSamples("spinlog_http_request_duration_seconds",
                          {{"route", route}, {"method", method}}, snapshot, kDurationBoundsMicros,
                          kMicrosPerSecond);
  });

  page.Family("spinlog_http_open_connections", Type::kGauge, "HTTP connections open now.");
  page.Sample("spinlog_http_open_connections", {},
              static_cast<std::uint64_t>(
                  std::max<std::int64_t>(0, open_connections_.load(std::memory_order_relaxed))));
}

}  // namespace spinlog::observability
