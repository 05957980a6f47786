// GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1, the file
// docs/openapi.json compiled into the binary (cmake/EmbedFile.cmake), so the
// served document is always the one in the repository for this build.
#pragma once

#include <string_view>

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::v1 {

// The document's bytes, exactly as in docs/openapi.json.
std::string_view OpenApiDocument();

void RegisterOpenApiRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::v1
