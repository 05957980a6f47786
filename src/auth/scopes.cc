#include "auth/scopes.h"

namespace spinlog::auth {

const char* ScopeName(Scope scope) {
  switch (scope) {
    case kRead:
      return "read";
    case kWrite:
      return "write";
    case kAdmin:
      return "admin";
  }
  return "?";
}

Result<ScopeSet> ParseScopes(std::string_view text) {
  ScopeSet scopes = 0;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "read") {
      scopes |= kRead;
    } else if (name == "write") {
      scopes |= kWrite;
    } else if (name == "admin") {
      scopes |= kAdmin;
    } else if (!name.empty()) {
      return Status::InvalidArgument("unknown scope '" + std::string(name) +
                                     "' (scopes: read, write, admin)");
    }
  }
  if (scopes == 0) return Status::InvalidArgument("no scope given (scopes: read, write, admin)");
  return scopes;
}

std::string FormatScopes(ScopeSet scopes) {
  std::string text;
  for (Scope scope : {kRead, kWrite, kAdmin}) {
    if ((scopes & scope) == 0) continue;
    if (!text.empty()) text += ',';
    text += ScopeName(scope);
  }
  return text;
}

}  // namespace spinlog::auth
