// Status: the outcome of an operation that can fail in an expected way.
//
// Our code does not throw; functions that can fail return a Status (or a
// Result<T>, see result.h). Codes are domain codes, never HTTP numbers:
// api/error_mapping.cc alone turns them into HTTP answers.
//
// A Status may carry field violations: every input field that is missing or
// malformed, so that a client learns all of its mistakes at once.
//
// Thread-safety: a Status is a value; distinct objects may be used from
// distinct threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace spinlog {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed
  kNotFound,           // a named or numbered thing does not exist
  kAlreadyExists,      // creation of something that exists (when that is an error)
  kConflict,           // the input contradicts what is stored
  kResourceExhausted,  // a limit was hit: queue full, body too large
  kUnavailable,        // try again later: shutting down, backend unreachable
  kCorruption,         // stored data is not what we wrote
  kIOError,            // the operating system or the store failed
  kInternal,           // a bug: an invariant did not hold
  kUnimplemented,      // this build or backend cannot do it (yet)
};

// One problem with one input field, e.g. {"start", "missing"}.
struct FieldViolation {
  std::string field;
  std::string problem;
  bool operator==(const FieldViolation&) const = default;
};

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  // An InvalidArgument status listing every bad field.
  // REQUIRES: !violations.empty()
  static Status InvalidFields(std::vector<FieldViolation> violations);
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status AlreadyExists(std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(StatusCode::kCorruption, std::move(message));
  }
  static Status IOError(std::string message) {
    return Status(StatusCode::kIOError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }
  static Status Unimplemented(std::string message) {
    return Status(StatusCode::kUnimplemented, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsInvalidArgument() const { return code_ == StatusCode::kInvalidArgument; }
  bool IsConflict() const { return code_ == StatusCode::kConflict; }

  // "NotFound: channel 'X' does not exist", for logs.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldViolation> violations_;
};

// The name of a code, e.g. "NotFound".
const char* StatusCodeName(StatusCode code);

}  // namespace spinlog

// Returns from the enclosing function when `expr` is not OK.
#define SPINLOG_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::spinlog::Status spinlog_status_ = (expr);  \
    if (!spinlog_status_.ok()) return spinlog_status_; \
  } while (false)
