#include "auth/access_policy.h"

namespace spinlog::auth {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

AccessDecision DecideAccess(TokenRegistry& registry, const AccessOptions& options, Scope needed,
                            std::string_view authorization) {
  AccessDecision decision;
  if (!authorization.empty()) {
    // RFC 6750 2.1: "Bearer" (any case), one or more spaces, the token.
    const std::size_t space = authorization.find(' ');
    std::string_view token;
    if (space != std::string_view::npos &&
        EqualsIgnoringCase(authorization.substr(0, space), "bearer")) {
      token = authorization.substr(space);
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    }
    if (token.empty()) {
      decision.verdict = Verdict::kUnauthorized;
      decision.invalid_token = true;
      decision.message = "Authorization: expected 'Bearer <token>'";
      return decision;
    }
    std::optional<TokenIdentity> identity = registry.Authenticate(token);
    if (!identity) {
      decision.verdict = Verdict::kUnauthorized;
      decision.invalid_token = true;
      decision.message = "Authorization: the token is not valid (unknown or revoked)";
      return decision;
    }
    decision.token_id = std::move(identity->id);
    if ((identity->scopes & needed) == 0) {
      decision.verdict = Verdict::kForbidden;
      decision.message = std::string("the token lacks the '") + ScopeName(needed) +
                         "' scope this request needs";
    }
    return decision;
  }
  if (needed == kRead && !options.reads_need_token) return decision;
  if (needed != kRead && options.anonymous_writes_allowed && !registry.HasActiveTokens()) {
    return decision;
  }
  decision.verdict = Verdict::kUnauthorized;
  decision.message = std::string("this request needs a token with the '") + ScopeName(needed) +
                     "' scope: send Authorization: Bearer <token>";
  return decision;
}

}  // namespace spinlog::auth
