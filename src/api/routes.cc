#include "api/routes.h"

#include <string>
#include <utility>
#include <vector>

#include "api/api_paths.h"
#include "api/classic/classic_api.h"
#include "api/classic/classic_responses.h"
#include "api/v1/catalogue_lists_api.h"
#include "api/v1/catalogue_records_api.h"
#include "api/v1/catalogue_writes_api.h"
#include "api/v1/channel_groups_api.h"
#include "api/v1/channels_api.h"
#include "api/v1/charts_api.h"
#include "api/v1/openapi_api.h"
#include "api/v1/play_lists_api.h"
#include "api/v1/plays_api.h"
#include "api/v1/series_api.h"
#include "api/v1/v1_responses.h"

namespace spinlog::api {
namespace {

bool IsV1(const http::Request& request) { return IsV1Path(request.path); }

void AnswerNoRoute(http::Request&& request, std::vector<http::Method> allowed,
                   http::Responder respond) {
  if (IsV1(request)) {
    if (allowed.empty()) {
      return respond(v1::ErrorResponse(404, "not_found", "no such resource: " + request.path));
    }
    std::string allow;
    for (http::Method m : allowed) allow += (allow.empty() ? "" : ", ") + std::string(http::MethodName(m));
    http::Response response = v1::ErrorResponse(
        405, "method_not_allowed",
        std::string("method ") + http::MethodName(request.method) + " is not allowed here; use " + allow);
    response.headers.emplace_back("Allow", allow);
    return respond(std::move(response));
  }
  if (allowed.empty()) {
    std::vector<std::string> messages{"no such endpoint: " + request.path};
    return respond(classic::ErrorResponse(404, messages));
  }
  std::string allow;
  for (http::Method m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += http::MethodName(m);
  }
  std::vector<std::string> messages{"method " + std::string(http::MethodName(request.method)) +
                                    " is not allowed on " + request.path + "; use " + allow};
  http::Response response = classic::ErrorResponse(405, messages);
  response.headers.emplace_back("Allow", allow);
  respond(std::move(response));
}

void AnswerBodyTooLarge(http::Request&& request, std::size_t limit, http::Responder respond) {
  if (IsV1(request)) {
    return respond(v1::ErrorResponse(
        413, "payload_too_large", "the body is larger than the limit of " + std::to_string(limit) + " bytes"));
  }
  std::vector<std::string> messages{"body: larger than the limit of " + std::to_string(limit) +
                                    " bytes"};
  respond(classic::ErrorResponse(413, messages));
}

// A request the server refused before routing (http::RejectHandler).
void AnswerRejected(http::Request&& request, int status, std::size_t limit, std::string message,
                    http::Responder respond) {
  if (status == 413) return AnswerBodyTooLarge(std::move(request), limit, std::move(respond));
  if (status == 431) {
    message = "the request line and headers are larger than the limit of " +
              std::to_string(limit) + " bytes";
  }
  if (IsV1(request)) {
    return respond(v1::ErrorResponse(status, status == 431 ? "headers_too_large" : "invalid_argument",
                                     message));
  }
  std::vector<std::string> messages{std::move(message)};
  respond(classic::ErrorResponse(status, messages));
}

}  // namespace

void RegisterRoutes(const Services& services, http::Router* router) {
  classic::RegisterClassicRoutes(services, router);
  v1::RegisterPlaysRoutes(services, router);
  v1::RegisterChartRoutes(services, router);
  v1::RegisterChannelGroupRoutes(services, router);
  v1::RegisterSeriesRoutes(services, router);
  v1::RegisterChannelRoutes(services, router);
  v1::RegisterCatalogueRecordRoutes(services, router);
  v1::RegisterCatalogueListRoutes(services, router);
  v1::RegisterCatalogueWriteRoutes(services, router);
  v1::RegisterPlayListRoutes(services, router);
  v1::RegisterOpenApiRoutes(services, router);
  router->SetNoRouteHandler(AnswerNoRoute);
  router->SetBodyTooLargeHandler(AnswerBodyTooLarge);
  router->SetRejectHandler(AnswerRejected);
}

}  // namespace spinlog::api
