// HttpMetrics: the HTTP server's traffic, kept as the server's observer and
// written as Prometheus metrics:
//   spinlog_http_requests_total{route,method,status}     counter
//   spinlog_http_request_duration_seconds{route,method}  histogram
//   spinlog_http_open_connections                        gauge
// `route` is the pattern of the route that served the request
// ("/api/v1/songs/{id}/series"), or "unmatched" when none did (404, 405), so
// that the number of series stays bounded whatever paths clients send.
// `status` is the HTTP status (100-599; anything else counts as "other").
// Durations run from the request being received to its answer being handed
// to the connection.
//
// Cost per request: one hash lookup of the route pattern and three relaxed
// atomic additions; no lock, no allocation. Memory: about 4 KiB per
// (route, method) served.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/router.h"
#include "http/server.h"
#include "observability/histogram.h"
#include "observability/prometheus_text.h"

namespace spinlog::observability {

class HttpMetrics final : public http::ServerObserver {
 public:
  // The route label of requests that no route served.
  static constexpr char kUnmatchedRoute[] = "unmatched";

  // Keeps counters for every (route, method) of `router`, HEAD wherever GET
  // is served. REQUIRES: every route is added to `router` already.
  explicit HttpMetrics(const http::Router& router);
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  void OnConnectionOpened() override;
  void OnConnectionClosed() override;
  void OnRequestAnswered(const http::AccessLogEntry& entry) override;

  // Appends the three families above to `page`. Series of (route, method)
  // that have answered nothing yet are left out.
  void Write(PrometheusText& page) const;

 private:
  static constexpr std::size_t kMethodCount = static_cast<std::size_t>(http::Method::kOther) + 1;

  struct MethodStats {
    MethodStats();
    Histogram duration;  // microseconds
    // Answers by status: index status - 100 for 100-599, the last for others.
    std::unique_ptr<std::atomic<std::uint64_t>[]> statuses;
  };

  struct RouteStats {
    std::string pattern;
    // Null for the methods the route does not serve.
    std::array<std::unique_ptr<MethodStats>, kMethodCount> methods;
  };

  // The counters of (route, method); the unmatched route's when the route
  // is unknown or does not serve `method`.
  MethodStats& StatsFor(std::string_view route, http::Method method);

  // Calls visit(pattern, method name, stats) for every (route, method) kept.
  template <typename Visit>
  void ForEachSeries(Visit visit) const {
    for (const RouteStats& route : routes_) {
      for (std::size_t m = 0; m < kMethodCount; ++m) {
        if (const MethodStats* stats = route.methods[m].get()) {
          visit(route.pattern, http::MethodName(static_cast<http::Method>(m)), *stats);
        }
      }
    }
  }

  std::vector<RouteStats> routes_;  // the unmatched route last
  // Pattern -> index in routes_ (views into routes_' patterns, which never move).
  std::unordered_map<std::string_view, std::size_t> index_;
  std::atomic<std::int64_t> open_connections_{0};
};

}  // namespace spinlog::observability
