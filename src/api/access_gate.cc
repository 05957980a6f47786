#include "api/access_gate.h"

#include <string>
#include <utility>
#include <vector>

#include "api/api_paths.h"
#include "api/classic/classic_responses.h"
#include "api/v1/v1_responses.h"

namespace spinlog::api {
namespace {

http::Response Refusal(const http::Request& request, int status, std::string_view code,
                       const std::string& message) {
  if (IsV1Path(request.path)) return v1::ErrorResponse(status, code, message);
  const std::vector<std::string> messages{message};
  return classic::ErrorResponse(status, messages);
}

auth::Scope NeededScope(const http::RouteAttributes& attributes) {
  if (attributes.is_admin) return auth::kAdmin;
  if (attributes.is_write) return auth::kWrite;
  return auth::kRead;
}

void AddRateHeaders(const auth::RateDecision& decision, std::vector<http::Header>* headers) {
  headers->emplace_back("RateLimit-Limit", std::to_string(decision.limit));
  headers->emplace_back("RateLimit-Remaining", std::to_string(decision.remaining));
  headers->emplace_back("RateLimit-Reset", std::to_string(decision.reset_seconds));
}

}  // namespace

AccessGate::AccessGate(auth::TokenRegistry* registry, AccessGateOptions options)
    : registry_(registry),
      options_(options),
      per_token_(options.per_token),
      per_address_(options.per_address) {}

void AccessGate::Install(http::Router* router) {
  router->SetGate([this](const http::Request& request, const http::RouteAttributes& attributes,
                         http::Responder& respond) { return Admit(request, attributes, respond); });
}

bool AccessGate::Admit(const http::Request& request, const http::RouteAttributes& attributes,
                       http::Responder& respond) {
  const auth::AccessDecision access = auth::DecideAccess(
      *registry_, options_.access, NeededScope(attributes), request.FindHeader("Authorization"));
  if (access.verdict == auth::Verdict::kUnauthorized) {
    unauthorized_.fetch_add(1, std::memory_order_relaxed);
    http::Response response = Refusal(request, 401, "unauthorized", access.message);
    response.headers.emplace_back(
        "WWW-Authenticate", access.invalid_token ? "Bearer realm=\"spinlog\", error=\"invalid_token\""
                                                 : "Bearer realm=\"spinlog\"");
    respond(std::move(response));
    return false;
  }
  if (access.verdict == auth::Verdict::kForbidden) {
    forbidden_.fetch_add(1, std::memory_order_relaxed);
    http::Response response = Refusal(request, 403, "forbidden", access.message);
    response.headers.emplace_back("WWW-Authenticate",
                                  "Bearer realm=\"spinlog\", error=\"insufficient_scope\"");
    respond(std::move(response));
    return false;
  }

  auth::RateLimiter& limiter = access.token_id.empty() ? per_address_ : per_token_;
  if (!limiter.enabled()) return true;
  const auth::RateDecision rate = limiter.Take(
      access.token_id.empty() ? std::string_view(request.client_address) : access.token_id,
      auth::RateLimiter::Clock::now());
  if (!rate.allowed) {
    rate_limited_.fetch_add(1, std::memory_order_relaxed);
    http::Response response =
        Refusal(request, 429, "too_many_requests",
                "rate limit exceeded: " + std::to_string(rate.limit) +
                    " requests at once, then the configured rate per second; retry in " +
                    std::to_string(rate.retry_after_seconds) + " s");
    response.headers.emplace_back("Retry-After", std::to_string(rate.retry_after_seconds));
    AddRateHeaders(rate, &response.headers);
    respond(std::move(response));
    return false;
  }
  respond = [rate, inner = std::move(respond)](http::Response response) {
    AddRateHeaders(rate, &response.headers);
    inner(std::move(response));
  };
  return true;
}

}  // namespace spinlog::api
