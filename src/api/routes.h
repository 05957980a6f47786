// The route table: every endpoint the server answers, with its attributes.
#pragma once

#include "api/services.h"
#include "http/router.h"

namespace spinlog::api {

// Adds every route to `router`, and the answers for unknown paths, wrong
// methods and oversized bodies. REQUIRES: `services` outlive the router.
void RegisterRoutes(const Services& services, http::Router* router);

}  // namespace spinlog::api
