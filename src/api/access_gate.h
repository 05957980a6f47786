// The router's gate (http::Router::SetGate): token auth and rate limits for
// every route but the health probes, answering 401, 403 and 429 in the
// error shape of the API the path belongs to (classic or v1). The rules are
// auth::DecideAccess's; docs/security.md tells them to operators.
//
// Rate limits: a request with a valid token takes from its token's bucket,
// any other from its client address's bucket (ServerOptions::
// record_client_address must be on when the per-address limit is). While a
// limit is set, answers carry RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset; a 429 also Retry-After.
//
// Thread-safety: the gate runs concurrently on the event-loop threads.
#pragma once

#include <atomic>
#include <cstdint>

#include "auth/access_policy.h"
#include "auth/rate_limiter.h"
#include "http/router.h"

namespace spinlog::api {

struct AccessGateOptions {
  auth::AccessOptions access;
  auth::RateLimit per_token;
  auth::RateLimit per_address;
};

class AccessGate {
 public:
  // `registry` is not owned and must outlive the gate, which must outlive
  // the router it is installed in.
  AccessGate(auth::TokenRegistry* registry, AccessGateOptions options);

  void Install(http::Router* router);

  // Requests refused, for /metrics.
  std::uint64_t rate_limited() const { return rate_limited_.load(std::memory_order_relaxed); }
  std::uint64_t unauthorized() const { return unauthorized_.load(std::memory_order_relaxed); }
  std::uint64_t forbidden() const { return forbidden_.load(std::memory_order_relaxed); }

 private:
  bool Admit(const http::Request& request, const http::RouteAttributes& attributes,
             http::Responder& respond);

  auth::TokenRegistry* registry_;
  const AccessGateOptions options_;
  auth::RateLimiter per_token_;
  auth::RateLimiter per_address_;
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> unauthorized_{0};
  std::atomic<std::uint64_t> forbidden_{0};
};

}  // namespace spinlog::api
