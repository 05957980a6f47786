#include "api/routes.h"

#include <string>
#include <utility>
#include <vector>

#include "api/classic/classic_api.h"
#include "api/classic/classic_responses.h"

namespace spinlog::api {
namespace {

void AnswerNoRoute(http::Request&& request, std::vector<http::Method> allowed,
                   http::Responder respond) {
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

void AnswerBodyTooLarge(http::Request&& /*request*/, std::size_t limit, http::Responder respond) {
  std::vector<std::string> messages{"body: larger than the limit of " + std::to_string(limit) +
                                    " bytes"};
  respond(classic::ErrorResponse(413, messages));
}

}  // namespace

void RegisterRoutes(const Services& services, http::Router* router) {
  classic::RegisterClassicRoutes(services, router);
  router->SetNoRouteHandler(AnswerNoRoute);
  router->SetBodyTooLargeHandler(AnswerBodyTooLarge);
}

}  // namespace spinlog::api
