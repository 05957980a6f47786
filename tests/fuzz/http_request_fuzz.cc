// libFuzzer target for the HTTP request path up to the handlers. Raw bytes,
// cut into the chunks a socket might deliver, go through RESTinio's own
// parser exactly as its connections drive it (its http_parser callbacks and
// limits, a fresh parse per request, the rest of a chunk kept for the next
// one), and alongside through the RequestGuard that answers what RESTinio
// refuses. Every request RESTinio completes becomes an http::Request by the
// server's own RequestFromHeader and is dispatched by a Router with
// patterns like the API's.
//
// Checks, any failure of which calls abort():
//   - RESTinio refuses the input exactly when the guard holds a refusal,
//     and for the same reason (431 for a request line or header over the
//     limits, 413 for a body over them, 400 for anything else);
//   - the guard counts as many complete requests as RESTinio parsed, and as
//     many complete answers as were written back (HEAD answers without body);
//   - a dispatched request's path parameters are non-empty segments of its
//     path, and the header size counted for the 431 check covers its headers.
//
// The first byte chooses the chunk size (1..16, or whole); the rest is the
// stream of bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <restinio/http_server.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_guard.h"
#include "http/restinio_request.h"
#include "http/router.h"

namespace spinlog::http {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "http_request_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

// Small limits, so that the fuzzer reaches them; shaped as the server's.
constexpr std::size_t kMaxHeaderBytes = 512;
constexpr std::size_t kMaxBodyBytes = 256;

RequestGuardLimits Limits() {
  RequestGuardLimits limits;
  limits.max_url_size = kMaxHeaderBytes;
  limits.max_field_name_size = kMaxHeaderBytes;
  limits.max_field_value_size = kMaxHeaderBytes;
  limits.max_field_count = kMaxHeaderBytes / 4 + 1;
  limits.max_body_size = kMaxBodyBytes;
  limits.max_header_bytes = kMaxHeaderBytes;
  return limits;
}

restinio::incoming_http_msg_limits_t RestinioLimits() {
  const RequestGuardLimits l = Limits();
  return restinio::incoming_http_msg_limits_t{}
      .max_url_size(l.max_url_size)
      .max_field_name_size(l.max_field_name_size)
      .max_field_value_size(l.max_field_value_size)
      .max_field_count(l.max_field_count)
      .max_body_size(l.max_body_size);
}

const Router& TheRouter() {
  static const Router* router = [] {
    auto* r = new Router();
    auto answer = [](Request&& request, Responder respond) {
      for (const auto& [name, value] : request.path_params) {
        Check(!value.empty() && value.find('/') == std::string::npos, "path parameter");
        Check(request.path.find(value) != std::string::npos, "path parameter not in path");
      }
      Response response;
      response.body = request.path;
      respond(std::move(response));
    };
    for (const char* pattern : {"/get_top", "/add_play", "/api/v1/plays", "/api/v1/charts",
                                "/api/v1/songs/{id}", "/api/v1/songs/{id}/chart-history",
                                "/api/v1/channels/{id}", "/api/v1/openapi.json", "/healthz"}) {
      r->Add(Method::kGet, pattern, {}, answer);
      r->Add(Method::kPost, pattern, {}, answer);
    }
    return r;
  }();
  return *router;
}

int ExpectedStatus(http_errno error) {
  switch (error) {
    case HPE_CB_url:
    case HPE_CB_header_field:
    case HPE_CB_header_value:
    case HPE_HEADER_OVERFLOW:
      return 431;
    case HPE_CB_headers_complete:
    case HPE_CB_body:
      return 413;
    default:
      return 400;
  }
}

// The bytes RESTinio writes for `response` to a request of `method`.
std::string AnswerBytes(const Response& response, Method method) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) +
                    " OK\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  if (method != Method::kHead) out += response.body;
  return out;
}

}  // namespace
}  // namespace spinlog::http

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spinlog::http;
  if (size == 0) return 0;
  const std::size_t chunk = data[0] % 17 == 0 ? size : data[0] % 17;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  static const http_parser_settings settings =
      restinio::impl::create_parser_settings<restinio::default_http_methods_t>();
  http_parser parser;
  restinio::impl::http_parser_ctx_t ctx{RestinioLimits()};
  auto reset = [&] {
    http_parser_init(&parser, HTTP_REQUEST);
    ctx.reset();
    parser.data = &ctx;
  };
  reset();
  RequestGuard guard(Limits());
  std::uint64_t parsed = 0;
  std::string pending;
  bool refused = false;

  for (std::size_t at = 0; at < input.size() && !refused; at += chunk) {
    const std::string_view piece = input.substr(at, chunk);
    guard.OnReceived(piece.data(), piece.size());
    pending.append(piece);
    while (!pending.empty()) {
      const std::size_t n = http_parser_execute(&parser, &settings, pending.data(), pending.size());
      pending.erase(0, n);
      const auto error = HTTP_PARSER_ERRNO(&parser);
      if (error != HPE_OK && error != HPE_PAUSED) {
        const std::optional<Refusal> refusal = guard.TakeRefusal();
        if (!refusal) std::fprintf(stderr, "http_parser: %s\n", http_errno_name(error));
        Check(refusal.has_value(), "RESTinio refused, the guard did not");
        Check(refusal->status == ExpectedStatus(error), "refusal status differs");
        refused = true;
        break;
      }
      if (!ctx.m_message_complete) break;
      // Upgrades leave HTTP: RESTinio reads no further requests.
      if (parser.upgrade) return 0;
      ++parsed;
      std::size_t header_bytes = 0;
      Request request = RequestFromHeader(ctx.m_header, ctx.m_body, &header_bytes);
      std::size_t counted = request.headers.size() * 4;
      for (const auto& [name, value] : request.headers) counted += name.size() + value.size();
      Check(header_bytes >= counted, "header bytes undercounted");
      const Method method = request.method;
      Response answer;
      bool answered = false;
      TheRouter().Dispatch(std::move(request), [&](Response r) {
        answer = std::move(r);
        answered = true;
      });
      Check(answered, "dispatch did not answer");
      // Written back in two pieces, as partial writes would.
      const std::string bytes = AnswerBytes(answer, method);
      guard.OnSent(bytes.data(), bytes.size() / 2);
      guard.OnSent(bytes.data() + bytes.size() / 2, bytes.size() - bytes.size() / 2);
      reset();
    }
    if (!refused) {
      // Both have parsed every byte so far.
      Check(guard.requests_parsed() == parsed, "guard and RESTinio count different requests");
      Check(guard.answers_sent() == parsed, "answers miscounted");
    }
  }
  if (!refused) Check(!guard.TakeRefusal().has_value(), "guard refused what RESTinio accepted");
  return 0;
}
