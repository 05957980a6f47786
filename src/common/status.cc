#include "common/status.h"

namespace spinlog {

Status Status::InvalidFields(std::vector<FieldViolation> violations) {
  std::string message;
  for (const FieldViolation& v : violations) {
    if (!message.empty()) message += "; ";
    message += v.field + ": " + v.problem;
  }
  Status status(StatusCode::kInvalidArgument, std::move(message));
  status.violations_ = std::move(violations);
  return status;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kAlreadyExists: return "AlreadyExists";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kResourceExhausted: return "ResourceExhausted";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kIOError: return "IOError";
    case StatusCode::kInternal: return "Internal";
    case StatusCode::kUnimplemented: return "Unimplemented";
  }
  return "Unknown";
}

}  // namespace spinlog
