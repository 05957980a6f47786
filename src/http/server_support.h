// Small pieces of the server that need neither RESTinio nor asio: request
// ids, fitting the connection limit to the process, wording of listen errors,
// the route pattern that serves a request.
//
// Thread-safety: all functions may be called from any thread; RouteLabels is
// immutable once built.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/router.h"

namespace spinlog::http {

// A process-unique id "r-" + 10 lowercase hex digits, e.g. "r-000000001f".
std::string NextRequestId();

// `wanted` lowered (with a warning logged) so that the connections fit the
// open-file limit with room for the rest of the process; `wanted` when the
// limit is unknown or large enough. Never less than 1.
std::size_t FitConnectionLimit(std::size_t wanted);

// A short lowercase reason for a bind/listen errno ("address already in
// use"), or null when there is no special wording.
const char* DescribeListenErrno(int value);

// Names the route that serves a request by its pattern ("/get_top",
// "/api/v1/songs/{id}/series"), never by the raw path, so that logs and
// metrics get a bounded set of values.
class RouteLabels {
 public:
  // REQUIRES: every route is added to `router` already (later ones are not
  // seen), and `router` outlives this object.
  explicit RouteLabels(const Router& router);

  // The pattern of the route that `method` and `path` select, with HEAD
  // served by GET as the Router does; empty when no route does (404, 405).
  std::string_view Of(Method method, std::string_view path) const;

 private:
  const Router& router_;
  // Router::Find answers with the selected route's attributes; their address
  // identifies the route, and its pattern is looked up here.
  std::unordered_map<const RouteAttributes*, std::string> patterns_;
};

}  // namespace spinlog::http
