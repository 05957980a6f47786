// Result<T>: a value or the Status that explains why there is none.
//
// Thread-safety: a value type, like Status.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "common/status.h"

namespace spinlog {

template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok()
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok());
  }
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }

  // The error; OK when a value is held.
  Status status() const {
    if (ok()) return Status::OK();
    return std::get<Status>(data_);
  }

  // REQUIRES: ok()
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace spinlog

// Evaluates `rexpr` (a Result); on error returns its Status, else moves the
// value into `lhs` (a declaration such as `auto x`).
#define SPINLOG_CONCAT_INNER_(a, b) a##b
#define SPINLOG_CONCAT_(a, b) SPINLOG_CONCAT_INNER_(a, b)
#define SPINLOG_ASSIGN_OR_RETURN(lhs, rexpr) \
  SPINLOG_ASSIGN_OR_RETURN_IMPL_(SPINLOG_CONCAT_(spinlog_result_, __LINE__), lhs, rexpr)
#define SPINLOG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                   \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()
