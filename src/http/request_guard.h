// RequestGuard: watches the bytes of one connection in both directions, so
// that a request RESTinio refuses while parsing still gets an answer.
//
// Why: RESTinio 0.6.16 enforces its size limits (request target, header
// name, header value, number of headers, body) inside its http_parser
// callbacks, and on any parse error it closes the connection without a word.
// The guard runs a second http_parser over the same received bytes with the
// same limits, so it fails on the same request, and knows why: 431 (request
// line or headers too large), 413 (body over the server's limit, usually
// declared by Content-Length) or 400 (not HTTP/1.x). It also parses the
// answers written back (headers only; bodies are skipped by length), so that
// a refusal is only offered when every earlier request on the connection has
// been answered in full: an answer written then is in order.
//
// Cost: plain requests (the common kind: see SimpleRequestLength in the
// .cc) that arrive whole are checked by a quick scan that errs towards
// handing them to the exact parser; the parser runs only on the rest, from
// a message boundary, so that it still refuses exactly what RESTinio's does.
// Plain answers likewise (SimpleAnswerHeadLength).
//
// Thread-safety: one connection's guard is used by one thread at a time.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "http/request.h"

namespace spinlog::http {

// The limits RESTinio was given (restinio::incoming_http_msg_limits_t),
// mirrored exactly.
struct RequestGuardLimits {
  std::size_t max_url_size = 0;
  std::size_t max_field_name_size = 0;
  std::size_t max_field_value_size = 0;
  std::size_t max_field_count = 0;
  std::size_t max_body_size = 0;
  // What the refusal reports as the header limit (431).
  std::size_t max_header_bytes = 0;
};

// A request the server refuses before routing it.
struct Refusal {
  int status = 0;         // 400, 413 or 431
  std::size_t limit = 0;  // the byte limit exceeded; 0 for 400
  std::string message;    // what was wrong
  Method method = Method::kOther;
  std::string path;  // without the query; at most kMaxPathBytes
};

class RequestGuard {
 public:
  // Longest path prefix kept for the refusal (enough to pick an error shape).
  static constexpr std::size_t kMaxPathBytes = 256;

  // `quick_scan` false: every byte goes through http_parser (to compare the
  // verdicts in tests; they are the same).
  explicit RequestGuard(const RequestGuardLimits& limits, bool quick_scan = true);
  RequestGuard(const RequestGuard&) = delete;
  RequestGuard& operator=(const RequestGuard&) = delete;

  // Bytes read from the client, in order, as RESTinio gets them.
  void OnReceived(const char* data, std::size_t size);
  // Bytes of answers written to the client, in order.
  void OnSent(const char* data, std::size_t size);

  // The refusal of the request the parser stopped at, once, when every
  // request before it has been answered in full; nullopt otherwise (no
  // refusal, or answering now would be out of order).
  std::optional<Refusal> TakeRefusal();

  // Requests parsed in full, and answers written in full, so far.
  std::uint64_t requests_parsed() const { return requests_parsed_; }
  std::uint64_t answers_sent() const { return answers_sent_; }

 private:
  static const http_parser_settings& RequestSettings();
  static const http_parser_settings& AnswerSettings();
  static int OnMessageBegin(http_parser* parser);
  static int OnUrl(http_parser* parser, const char* at, std::size_t length);
  static int OnHeaderField(http_parser* parser, const char* at, std::size_t length);
  static int OnHeaderValue(http_parser* parser, const char* at, std::size_t length);
  static int OnHeadersComplete(http_parser* parser);
  static int OnBody(http_parser* parser, const char* at, std::size_t length);
  static int OnMessageComplete(http_parser* parser);
  static int OnAnswerBegin(http_parser* parser);
  static int OnAnswerHeadersComplete(http_parser* parser);
  static int OnAnswerComplete(http_parser* parser);

  int Refuse(int status, std::size_t limit);

  const RequestGuardLimits limits_;
  const bool quick_scan_;
  http_parser request_parser_;
  http_parser answer_parser_;
  // Per request, as RESTinio's http_parser_ctx_t counts.
  std::string path_;
  bool in_query_ = false;
  std::size_t url_size_ = 0;
  std::size_t field_name_size_ = 0;
  std::size_t field_value_size_ = 0;
  std::size_t field_count_ = 0;
  std::size_t body_size_ = 0;
  bool last_was_value_ = true;
  // Whether the request parser stands between two requests, where a plain
  // request may skip it (OnReceived).
  bool between_requests_;
  // Whether the parser has begun a request it has not finished.
  bool in_request_ = false;
  // The same for the answer parser; and the bytes of a plain answer's body
  // still to come (OnSent).
  bool between_answers_;
  std::size_t answer_body_left_ = 0;
  // Whether each request parsed but not yet answered was a HEAD (its answer
  // has a Content-Length but no body).
  std::deque<bool> heads_;
  std::uint64_t requests_parsed_ = 0;
  std::uint64_t answers_sent_ = 0;
  bool requests_failed_ = false;
  bool answers_failed_ = false;
  std::optional<Refusal> refusal_;
};

}  // namespace spinlog::http
