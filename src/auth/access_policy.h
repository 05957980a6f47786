// Who may call a route: the rules of docs/security.md in one function.
//
// - A request that sends `Authorization: Bearer <token>` is judged by that
//   token: unknown, revoked or malformed is 401 (even on open routes, so a
//   client learns its token is bad), a token without the route's scope 403.
// - Without a token: reads pass unless reads_need_token; writes and
//   administrative actions pass only while no token is active and anonymous
//   writes are allowed (the listener is loopback, or the operator said
//   --allow-anonymous-writes); otherwise 401.
#pragma once

#include <string>
#include <string_view>

#include "auth/scopes.h"
#include "auth/token_registry.h"

namespace spinlog::auth {

struct AccessOptions {
  bool reads_need_token = false;
  // Writes without a token while no token exists.
  bool anonymous_writes_allowed = false;
};

enum class Verdict { kAllow, kUnauthorized, kForbidden };

struct AccessDecision {
  Verdict verdict = Verdict::kAllow;
  // The token's id when one was presented and valid; empty otherwise.
  std::string token_id;
  // Why not, for the error body (no secret in it).
  std::string message;
  // For 401: whether a token was sent but is not valid (WWW-Authenticate
  // error="invalid_token") rather than missing.
  bool invalid_token = false;
};

AccessDecision DecideAccess(TokenRegistry& registry, const AccessOptions& options, Scope needed,
                            std::string_view authorization);

}  // namespace spinlog::auth
