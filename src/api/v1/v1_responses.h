// The answers of /api/v1: JSON documents, times in ISO 8601 UTC with 'Z',
// and one error shape for every error:
//   {"error":{"status":400,"code":"invalid_argument","message":"...",
//             "fields":[{"field":"start","problem":"..."}]}}
#pragma once

#include <span>
#include <string_view>

#include "common/status.h"
#include "http/request.h"
#include "http/router.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {

// The error answer for a failed Status (HTTP status from api/error_mapping.h).
http::Response ErrorResponse(const Status& status);
// An error answer with an explicit HTTP status, code and message.
http::Response ErrorResponse(int http_status, std::string_view code, std::string_view message);

// Writes `violations` as the array of the error shape (and of a batch
// item's "errors"): [{"field":"start","problem":"..."}, ...].
void WriteFieldViolations(json::JsonWriter& w, std::span<const FieldViolation> violations);

// The attributes of every /api/v1 GET route: its 200 answers carry an ETag
// and a matching If-None-Match is answered 304 (http/conditional_get.h).
http::RouteAttributes GetRouteAttributes();
// GetRouteAttributes of a route answered from memory (charts, series, the
// API description): it stays on the event loop (RouteAttributes).
http::RouteAttributes MemoryGetRouteAttributes();

}  // namespace spinlog::api::v1
