#include "api/v1/openapi_api.h"

#include <cstddef>
#include <string>
#include <utility>

#include "api/v1/cache_control.h"
#include "api/v1/v1_responses.h"

namespace spinlog::api::v1 {

// Defined in the source generated from docs/openapi.json.
extern const char kOpenApiDocument[];
extern const std::size_t kOpenApiDocument_size;

std::string_view OpenApiDocument() { return {kOpenApiDocument, kOpenApiDocument_size}; }

void RegisterOpenApiRoutes(const Services& /*services*/, http::Router* router) {
  router->Add(http::Method::kGet, "/api/v1/openapi.json", MemoryGetRouteAttributes(),
              [](http::Request&& /*request*/, http::Responder respond) {
                http::Response response;
                response.body = std::string(OpenApiDocument());
                // It changes only with the binary, but a restart can bring a new one.
                SetCacheControl(kCacheRevalidate, &response);
                respond(std::move(response));
              });
}

}  // namespace spinlog::api::v1
