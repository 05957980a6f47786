#include "observability/ops_routes.h"

#include <utility>

#include "api/v1/v1_responses.h"
#include "observability/prometheus_text.h"

namespace spinlog::observability {
namespace {

http::Response NoStore(http::Response response) {
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

http::Response StatusOk() {
  http::Response response;
  response.body = R"({"status":"ok"})";
  return NoStore(std::move(response));
}

}  // namespace

void RegisterOpsRoutes(const OpsEndpoints& endpoints, http::Router* router) {
  // Reads with no body: the smallest body limit there is.
  http::RouteAttributes attributes;
  attributes.max_body_bytes = 0;
  http::RouteAttributes probe = attributes;
  probe.is_probe = true;
  router->Add(http::Method::kGet, "/healthz", probe,
              [](http::Request&&, http::Responder respond) { respond(StatusOk()); });
  router->Add(http::Method::kGet, "/readyz", probe,
              [readiness = endpoints.readiness](http::Request&&, http::Responder respond) {
                const Status ready = readiness->Check();
                respond(ready.ok() ? StatusOk() : NoStore(api::v1::ErrorResponse(ready)));
              });
  router->Add(http::Method::kGet, "/metrics", attributes,
              [metrics = endpoints.metrics](http::Request&&, http::Responder respond) {
                http::Response response;
                response.content_type = PrometheusText::kContentType;
                response.body = RenderMetricsPage(*metrics);
                respond(NoStore(std::move(response)));
              });
}

}  // namespace spinlog::observability
