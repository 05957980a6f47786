// The one place that turns a domain Status into an HTTP status and the error
// messages that go into an error body.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "http/request.h"

namespace spinlog::api {

struct HttpError {
  int status = 500;
  // One message per problem: "field: problem" for each field violation,
  // else the status message.
  std::vector<std::string> messages;
  // Seconds a client should wait before retrying; 0 when not applicable.
  int retry_after_seconds = 0;
};

// InvalidArgument 400, NotFound 404, AlreadyExists and Conflict 409,
// ResourceExhausted and Unavailable 503 (with Retry-After), anything else 500
// (with a generic message: internal details are logged, not sent).
HttpError MapStatus(const Status& status);

}  // namespace spinlog::api
