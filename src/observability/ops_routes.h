// The operations endpoints, for load balancers, orchestrators and monitoring:
//   GET /healthz  200 {"status":"ok"} whenever the process answers HTTP at
//                 all; touches nothing else (a liveness probe).
//   GET /readyz   200 {"status":"ok"} when Readiness::Check passes; 503 with
//                 the /api/v1 error body saying why otherwise (shutting
//                 down, the store cannot write).
//   GET /metrics  RenderMetricsPage in the Prometheus text format 0.0.4.
// HEAD works on each, as the Router gives it to every GET route. Every
// answer says `Cache-Control: no-store`: a cached probe answer is a lie.
#pragma once

#include "http/router.h"
#include "observability/metrics_page.h"
#include "observability/readiness.h"

namespace spinlog::observability {

struct OpsEndpoints {
  // Not owned; both must outlive the router. `metrics` is read at each
  // request, so it may be completed (its HttpMetrics set) after the routes
  // are added, before the server starts.
  Readiness* readiness = nullptr;
  const MetricsSources* metrics = nullptr;
};

// Adds the three routes to `router`.
// REQUIRES: both pointers in `endpoints` are set.
void RegisterOpsRoutes(const OpsEndpoints& endpoints, http::Router* router);

}  // namespace spinlog::observability
