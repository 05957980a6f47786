// The numeric {id} of a /api/v1 resource path.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "http/request.h"

namespace spinlog::api::v1 {

// The path parameter "id" as an id from 1 to 2^32-1. Anything else is
// NotFound "no <what> has id '<text>'": such a resource cannot exist.
Result<std::uint32_t> PathId(const http::Request& request, std::string_view what);

}  // namespace spinlog::api::v1
