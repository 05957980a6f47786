// Plain JSON error responses that the http module sends on its own (no route,
// wrong method, body too large, handler failure), in the API's error shape:
// {"code": <status>, "errors": ["<message>"], "result": null}.
//
// Internal to src/http; the api module builds its own error bodies from a
// Status (api/error_mapping.cc).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "http/request.h"

namespace spinlog::http {

// A response with `status`, a JSON content type and the body above, with
// `message` escaped as a JSON string.
Response JsonErrorResponse(int status, std::string_view message);

// The standard reason phrase for `status` ("Not Found"), or "Unknown".
const char* ReasonPhrase(int status);

}  // namespace spinlog::http
