#include "http/router.h"

#include <array>
#include <exception>
#include <cassert>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/logging.h"
#include "common/string_map.h"
#include "http/conditional_get.h"
#include "http/error_response.h"
#include "http/route_pattern.h"

namespace spinlog::http {
namespace {

constexpr std::size_t kMethodCount = static_cast<std::size_t>(Method::kOther) + 1;
constexpr int kNoRoute = -1;

std::size_t IndexOf(Method method) { return static_cast<std::size_t>(method); }

struct Route {
  Method method;
  RouteAttributes attributes;
  Handler handler;
};

// All routes that share one pattern, indexed by method.
struct PathEntry {
  explicit PathEntry(std::string text) : pattern(std::move(text)) { routes.fill(kNoRoute); }

  // HEAD falls back to GET (RFC 9110 9.3.2); the server drops the body.
  int RouteFor(Method method) const {
    int route = routes[IndexOf(method)];
    if (route == kNoRoute && method == Method::kHead) route = routes[IndexOf(Method::kGet)];
    return route;
  }

  RoutePattern pattern;
  std::array<int, kMethodCount> routes;
};

std::string JoinMethods(const std::vector<Method>& methods) {
  std::string joined;
  for (Method method : methods) {
    if (!joined.empty()) joined.append(", ");
    joined.append(MethodName(method));
  }
  return joined;
}

void DefaultNoRoute(Request&& request, std::vector<Method> allowed, Responder respond) {
  if (allowed.empty()) {
    respond(JsonErrorResponse(404, std::string("no route for ") + MethodName(request.method) +
                                       " " + request.path));
    return;
  }
  respond(JsonErrorResponse(405, std::string("method ") + MethodName(request.method) +
                                     " not allowed for " + request.path +
                                     "; allowed: " + JoinMethods(allowed)));
}

void DefaultReject(Request&& /*request*/, int status, std::size_t /*limit*/, std::string message,
                   Responder respond) {
  respond(JsonErrorResponse(status, message));
}

void DefaultBodyTooLarge(Request&& request, std::size_t limit, Responder respond) {
  respond(JsonErrorResponse(413, "request body of " + std::to_string(request.body.size()) +
                                     " bytes exceeds the limit of " + std::to_string(limit) +
                                     " bytes"));
}

}  // namespace

struct Router::Impl {
  // The route that serves (method, path), or null. Tries the literal entry,
  // then pattern entries from most to least specific, and takes the first
  // that has the method: a more specific path without the method does not
  // hide a less specific one with it.
  const PathEntry* SelectEntry(Method method, std::string_view path, const Route** route) const {
    auto pick = [&](const PathEntry& entry) {
      const int index = entry.RouteFor(method);
      if (index == kNoRoute) return false;
      *route = &routes[static_cast<std::size_t>(index)];
      return true;
    };
    if (auto it = literal.find(path); it != literal.end() && pick(entries[it->second])) {
      return &entries[it->second];
    }
    for (std::size_t entry_index : param_entries) {
      const PathEntry& entry = entries[entry_index];
      if (entry.pattern.Match(path, nullptr) && pick(entry)) return &entry;
    }
    return nullptr;
  }

  // The methods of every entry whose pattern matches `path`, in enum order;
  // HEAD is listed whenever GET is. Empty when no pattern matches.
  std::vector<Method> AllowedMethods(std::string_view path) const {
    std::array<bool, kMethodCount> allowed{};
    auto add = [&](const PathEntry& entry) {
      for (std::size_t m = 0; m < kMethodCount; ++m) allowed[m] |= entry.routes[m] != kNoRoute;
    };
    if (auto it = literal.find(path); it != literal.end()) add(entries[it->second]);
    for (std::size_t entry_index : param_entries) {
      if (entries[entry_index].pattern.Match(path, nullptr)) add(entries[entry_index]);
    }
    allowed[IndexOf(Method::kHead)] |= allowed[IndexOf(Method::kGet)];
    std::vector<Method> methods;
    for (std::size_t m = 0; m < kMethodCount; ++m) {
      if (allowed[m]) methods.push_back(static_cast<Method>(m));
    }
    return methods;
  }

  PathEntry& EntryFor(std::string pattern_text) {
    if (auto it = literal.find(std::string_view(pattern_text)); it != literal.end()) {
      return entries[it->second];
    }
    for (std::size_t entry_index : param_entries) {
      if (entries[entry_index].pattern.text() == pattern_text) return entries[entry_index];
    }
    const std::size_t index = entries.size();
    entries.emplace_back(std::move(pattern_text));
    const RoutePattern& pattern = entries.back().pattern;
    if (pattern.is_literal()) {
      literal.emplace(pattern.text(), index);
    } else {
      // Insert before the first less specific entry; equals keep Add() order.
      auto pos = param_entries.begin();
      while (pos != param_entries.end() && !pattern.MoreSpecificThan(entries[*pos].pattern)) ++pos;
      param_entries.insert(pos, index);
    }
    return entries.back();
  }

  std::vector<Route> routes;
  std::vector<PathEntry> entries;
  StringMap<std::size_t> literal;  // probed with string_views
  std::vector<std::size_t> param_entries;  // indexes into entries, most specific first
  NoRouteHandler no_route = DefaultNoRoute;
  BodyTooLargeHandler body_too_large = DefaultBodyTooLarge;
  Gate gate;
  Offload offload;
  RejectHandler reject = DefaultReject;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::Add(Method method, std::string pattern, RouteAttributes attributes,
                 Handler handler) {
  PathEntry& entry = impl_->EntryFor(std::move(pattern));
  int& slot = entry.routes[IndexOf(method)];
  assert(slot == kNoRoute && "route added twice");
  slot = static_cast<int>(impl_->routes.size());
  impl_->routes.push_back(Route{method, attributes, std::move(handler)});
}

void Router::SetNoRouteHandler(NoRouteHandler handler) {
  impl_->no_route = handler ? std::move(handler) : NoRouteHandler(DefaultNoRoute);
}

void Router::SetBodyTooLargeHandler(BodyTooLargeHandler handler) {
  impl_->body_too_large = handler ? std::move(handler) : BodyTooLargeHandler(DefaultBodyTooLarge);
}

void Router::SetGate(Gate gate) { impl_->gate = std::move(gate); }
void Router::SetOffload(Offload offload) { impl_->offload = std::move(offload); }

void Router::SetRejectHandler(RejectHandler handler) {
  impl_->reject = handler ? std::move(handler) : RejectHandler(DefaultReject);
}

void Router::Reject(Request&& request, int status, std::size_t limit, std::string message,
                    Responder respond) const {
  impl_->reject(std::move(request), status, limit, std::move(message), std::move(respond));
}

const RouteAttributes* Router::Find(Method method, std::string_view path) const {
  const Route* route = nullptr;
  if (impl_->SelectEntry(method, path, &route) == nullptr) return nullptr;
  return &route->attributes;
}

std::string_view Router::PatternOf(Method method, std::string_view path) const {
  const Route* route = nullptr;
  const PathEntry* entry = impl_->SelectEntry(method, path, &route);
  return entry == nullptr ? std::string_view() : std::string_view(entry->pattern.text());
}

void Router::Dispatch(Request&& request, Responder respond,
                      std::string_view* matched_pattern) const {
  const Route* route = nullptr;
  const PathEntry* entry = impl_->SelectEntry(request.method, request.path, &route);
  if (matched_pattern != nullptr) {
    *matched_pattern = entry == nullptr ? std::string_view() : entry->pattern.text();
  }
  if (entry == nullptr) {
    std::vector<Method> allowed = impl_->AllowedMethods(request.path);
    if (!allowed.empty()) {
      // RFC 9110 15.5.6: a 405 must list the allowed methods in Allow,
      // whichever handler wrote the body.
      respond = [allow = JoinMethods(allowed), inner = std::move(respond)](Response response) {
        bool has_allow = false;
        for (const auto& header : response.headers) has_allow |= header.first == "Allow";
        if (!has_allow && response.status == 405) response.headers.emplace_back("Allow", allow);
        inner(std::move(response));
      };
    }
    impl_->no_route(std::move(request), std::move(allowed), std::move(respond));
    return;
  }
  request.path_params.clear();
  if (!entry->pattern.is_literal()) entry->pattern.Match(request.path, &request.path_params);
  if (impl_->gate && !route->attributes.is_probe &&
      !impl_->gate(request, route->attributes, respond)) {
    return;
  }
  if (request.body.size() > route->attributes.max_body_bytes) {
    impl_->body_too_large(std::move(request), route->attributes.max_body_bytes,
                          std::move(respond));
    return;
  }
  if (route->attributes.etag &&
      (request.method == Method::kGet || request.method == Method::kHead)) {
    respond = WithEntityTag(request, std::move(respond));
  }
  if (impl_->offload && !route->attributes.answers_from_memory) {
    impl_->offload([handler = &route->handler, request = std::move(request),
                    respond = std::move(respond)]() mutable {
      const std::string id = request.request_id;
      try {
        (*handler)(std::move(request), std::move(respond));
      } catch (const std::exception& e) {
        // The responder, dropped unanswered, answers 500.
        logging::Error("request " + id + ": handler threw: " + e.what());
      } catch (...) {
        logging::Error("request " + id + ": handler threw a non-exception");
      }
    });
    return;
  }
  route->handler(std::move(request), std::move(respond));
}

std::vector<std::pair<Method, std::string>> Router::Routes() const {
  std::vector<std::pair<Method, std::string>> all;
  for (const PathEntry& entry : impl_->entries) {
    for (std::size_t m = 0; m < kMethodCount; ++m) {
      if (entry.routes[m] != kNoRoute) all.emplace_back(static_cast<Method>(m), entry.pattern.text());
    }
  }
  return all;
}

}  // namespace spinlog::http
