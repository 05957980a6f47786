#include "api/error_mapping.h"

#include "common/logging.h"

namespace spinlog::api {

HttpError MapStatus(const Status& status) {
  HttpError error;
  switch (status.code()) {
    case StatusCode::kInvalidArgument: error.status = 400; break;
    case StatusCode::kNotFound: error.status = 404; break;
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict: error.status = 409; break;
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnavailable:
      error.status = 503;
      error.retry_after_seconds = 1;
      break;
    case StatusCode::kUnimplemented: error.status = 501; break;
    case StatusCode::kIOError:
      // The disk, not the request: full or failing storage is the server
      // being unavailable, and a client may retry elsewhere or later.
      logging::Error("store I/O error: " + status.ToString());
      error.status = 503;
      error.retry_after_seconds = 5;
      error.messages.push_back("the store cannot read or write now (see the server log)");
      return error;
    case StatusCode::kOk:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      error.status = 500;
      break;
  }
  if (error.status == 500) {
    logging::Error("internal error: " + status.ToString());
    error.messages.push_back("internal error; see the server log");
    return error;
  }
  if (!status.violations().empty()) {
    for (const FieldViolation& v : status.violations()) {
      error.messages.push_back(v.field + ": " + v.problem);
    }
  } else {
    error.messages.push_back(status.message());
  }
  return error;
}

}  // namespace spinlog::api
