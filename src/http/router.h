// Router: the table from (method, path pattern) to handler, with each route's
// declared attributes. Middleware reads attributes, never path strings.
//
// Patterns are literal paths ("/add_play") or have `{name}` segments
// ("/api/v1/songs/{id}"); a literal route wins over a pattern route.
// Between patterns, the one with a literal segment where the other has a
// parameter (leftmost difference) wins. A request goes to the most specific
// pattern that has its method; HEAD uses the GET route when there is no HEAD
// route (the server then sends no body). A `{name}` matches one non-empty
// segment and its value is raw (not percent-decoded), like Request::path.
//
// Without SetNoRouteHandler / SetBodyTooLargeHandler / SetRejectHandler, plain
// JSON errors are answered: {"code":404|405|413|431|400,"errors":["..."],"result":null}. A 405 answer
// gets an `Allow` header listing the methods unless the handler set one.
//
// Thread-safety: Add() and the Set*() calls before the server starts;
// Dispatch() concurrently after, so handlers run concurrently on the
// server's event-loop threads and must not block them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/request.h"

namespace spinlog::http {

struct RouteAttributes {
  // Whether the route changes stored state: callers need the `write` scope
  // when the server requires tokens.
  bool is_write = false;
  // Whether the route is an administrative action (merges, deletions of
  // catalogue records): callers need the `admin` scope. Implies is_write.
  bool is_admin = false;
  // Largest accepted body; a larger one is answered 413 by the server.
  // Default: 1 MiB.
  std::size_t max_body_bytes = 1 << 20;
  // Whether GET and HEAD answers of 200 get a strong ETag of their body and
  // If-None-Match is honoured with 304 Not Modified (http/conditional_get.h).
  // Default: false.
  bool etag = false;
  // Whether the route is a health probe (/healthz, /readyz): load balancers
  // call it without credentials, so the gate (auth, rate limits) lets it by.
  bool is_probe = false;
  // Whether the handler answers from memory, without waiting for the store
  // (charts from the rollup, names from the caches once warm): it then runs
  // on the event loop even when the router hands handlers over
  // (Router::SetOffload). Default: false.
  bool answers_from_memory = false;
};

using Handler = std::function<void(Request&& request, Responder respond)>;
// Runs `task` soon, on another thread.
using Offload = std::function<void(std::function<void()> task)>;

// Called for a request that matches no route (allowed_methods empty: 404) or
// matches a path but not its method (allowed_methods lists the path's methods: 405).
using NoRouteHandler = std::function<void(Request&& request, std::vector<Method> allowed_methods,
                                          Responder respond)>;
// Decides whether a request that matched a route reaches its handler (auth,
// rate limits): returns true to go on, after possibly wrapping `respond` to
// add headers to the answer; false once it has answered through `respond`.
// Runs on the event-loop threads, concurrently: must be thread-safe and quick.
using Gate = std::function<bool(const Request& request, const RouteAttributes& attributes,
                                Responder& respond)>;
// Called when a request's body exceeds its route's max_body_bytes (413).
using BodyTooLargeHandler =
    std::function<void(Request&& request, std::size_t limit, Responder respond)>;
// Called for a request the server refuses before routing it: 400 (not
// well-formed HTTP), 413 (body over the server's limit), 431 (request line
// and headers over the server's limit). Only method and path of `request`
// are set (either may be empty when the request was cut short); `limit` is
// the byte limit exceeded (0 for 400); `message` says what was wrong. Must
// answer before returning: the server writes the answer and closes at once.
using RejectHandler = std::function<void(Request&& request, int status, std::size_t limit,
                                         std::string message, Responder respond)>;

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void Add(Method method, std::string pattern, RouteAttributes attributes, Handler handler);
  void SetNoRouteHandler(NoRouteHandler handler);
  void SetBodyTooLargeHandler(BodyTooLargeHandler handler);
  // Consulted for every request that matches a route, except probes, before
  // the body limit and the handler. Default: none, every request goes on.
  void SetGate(Gate gate);
  // Hands the handlers of routes that may wait for the store (all but those
  // marked answers_from_memory) to `offload`, after routing, the gate and
  // the body limit. Default: none, every handler runs on the calling thread.
  void SetOffload(Offload offload);
  void SetRejectHandler(RejectHandler handler);

  // Answers a request the server refuses before routing, with the reject
  // handler (by default a plain JSON error carrying `message`).
  void Reject(Request&& request, int status, std::size_t limit, std::string message,
              Responder respond) const;

  // The attributes of the route that `method` and `path` select, or null.
  const RouteAttributes* Find(Method method, std::string_view path) const;

  // The pattern of the route that `method` and `path` select ("/get_top",
  // "/api/v1/songs/{id}/series"), with HEAD served by GET; empty when none
  // does (404, 405). Valid while the router lives.
  std::string_view PatternOf(Method method, std::string_view path) const;

  // Finds the route, fills request.path_params, asks the gate, enforces
  // max_body_bytes and calls the handler (or the no-route / too-large handler). With
  // `matched_pattern`, first sets it to PatternOf(request's method and
  // path), before anything can be answered, so that a caller labelling
  // answers by route needs no second match.
  void Dispatch(Request&& request, Responder respond,
                std::string_view* matched_pattern = nullptr) const;

  // Every (method, pattern) served, for documentation checks.
  std::vector<std::pair<Method, std::string>> Routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinlog::http
