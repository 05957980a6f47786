// Conditional GETs: strong entity tags computed from the body (RFC 9110
// 8.8.3) and If-None-Match (13.1.2), so that a client or cache holding an
// answer can ask again and get 304 Not Modified instead of the same bytes.
//
// The Router applies this to routes whose attributes ask for it
// (RouteAttributes::etag); handlers need not know about it.
//
// Thread-safety: pure functions; the returned Responder is as thread-safe as
// the one it wraps.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace spinlog::http {

// The strong entity-tag of a representation with these bytes: a quoted
// 16-digit lower-case hex XXH3-64 hash, e.g. "\"9a3c0f1e2d4b5a67\"". Equal
// bodies give equal tags in every process and build (XXH3's output is
// fixed), so tags survive restarts.
std::string BodyEntityTag(std::string_view body);

// Whether an If-None-Match field value (a comma-separated list; a field sent
// on several lines is their values joined with ", ") matches `etag`, as for
// a GET or HEAD: true for "*" (a current representation exists) or for a
// listed tag whose opaque part equals etag's, with or without the weak prefix
// W/ (weak comparison, RFC 9110 8.8.3.2). Members that are not entity-tags
// are skipped, so a malformed member never matches. REQUIRES: `etag` is a tag
// from BodyEntityTag.
bool IfNoneMatchMatches(std::string_view field_value, std::string_view etag);

// A Responder for `request` (a GET or HEAD) that gives each 200 answer an
// ETag header from BodyEntityTag, and answers 304 Not Modified instead (no
// body, no Content-Type, the answer's other headers kept, ETag among them)
// when the request's If-None-Match matches it. Other statuses pass unchanged.
Responder WithEntityTag(const Request& request, Responder respond);

}  // namespace spinlog::http
