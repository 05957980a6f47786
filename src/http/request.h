// Request and Response: the HTTP messages that handlers see, independent of
// the HTTP library underneath (RESTinio stays inside src/http/*.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// "GET", "POST", ...; "OTHER" for kOther.
const char* MethodName(Method method);

using Header = std::pair<std::string, std::string>;

// Whether `a` and `b` are equal but for the case of ASCII letters: how header
// names and most header tokens compare.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

struct Request {
  Method method = Method::kGet;
  // The path as sent, without the query string and not percent-decoded.
  std::string path;
  // The raw query string after '?', not decoded; empty when absent.
  std::string query;
  // Header names as sent; look them up with FindHeader.
  std::vector<Header> headers;
  std::string body;
  // Values of `{name}` segments of the matched route pattern, filled by Router.
  std::vector<std::pair<std::string, std::string>> path_params;
  // A process-unique id for logs, e.g. "r-000000001f".
  std::string request_id;
  // The peer's IP address ("127.0.0.1", "::1"); empty unless the server was
  // asked to record it (ServerOptions::record_client_address).
  std::string client_address;

  // The value of the first header named `name` (ASCII case-insensitive), or
  // an empty view when absent.
  std::string_view FindHeader(std::string_view name) const;
  // The values of every header named `name` (ASCII case-insensitive), in the
  // order sent: a list-valued field may be split over several lines
  // (RFC 9110 5.3). Views into `headers`; empty when absent.
  std::vector<std::string_view> FindHeaders(std::string_view name) const;
  // The value of path parameter `name`, or an empty view.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Extra headers (Content-Type and Content-Length are set from the fields above).
  std::vector<Header> headers;
  // A 304's Content-Length: the length of the 200 answer it stands for. RFC
  // 9110 8.6 allows only that value, and the HTTP library always sends the
  // field.
  std::size_t not_modified_length = 0;
};

// Sends the response for one request. Call it exactly once, from any thread;
// responses on one connection still go out in request order. Copies share one
// answer: a second call is dropped (and logged); when the last copy is
// destroyed unanswered the server answers 500. The call does not block.
using Responder = std::function<void(Response)>;

}  // namespace spinlog::http
