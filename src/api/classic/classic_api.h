// The classic plays API of plays-api.md, on the root path: seven endpoints
// that existing clients speak by name. Handlers are thin: read fields, call a
// domain service, encode the answer.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api::classic {

// The body limit of every classic endpoint: 1 MiB.
inline constexpr std::size_t kClassicMaxBodyBytes = 1 << 20;

// Adds the seven classic routes. REQUIRES: `services` outlive the router.
void RegisterClassicRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api::classic
