// A small blocking HTTP/1.1 client over plain sockets, for end-to-end tests.
// It can send any bytes, including malformed requests that a real client
// library would refuse to produce.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::e2e {

struct HttpResponse {
  int status = 0;  // 0 when the connection failed or closed without an answer
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string Header(std::string_view name) const;  // case-insensitive; "" if absent
};

// One keep-alive connection to 127.0.0.1:port.
class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes raw bytes. Returns false when the write fails.
  bool SendRaw(std::string_view bytes);
  // Reads one response (Content-Length or chunked); status 0 on EOF/timeout.
  // An answer to HEAD (`to_head`), a 204 or a 304 ends with its headers,
  // whatever Content-Length says (RFC 9112 6.3).
  HttpResponse ReadResponse(int timeout_ms = 10000, bool to_head = false);
  // Sends a well-formed request and reads its answer.
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = "",
                       std::string_view content_type = "");
  // Sends a request without a body, with extra header lines (each
  // "Name: value"), and reads its answer.
  HttpResponse RequestWithHeaders(std::string_view method, std::string_view target,
                                  const std::vector<std::string>& header_lines);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// Opens a connection, sends one request, reads the answer.
HttpResponse Get(std::uint16_t port, std::string_view target);
HttpResponse Post(std::uint16_t port, std::string_view target, std::string_view body,
                  std::string_view content_type = "application/x-www-form-urlencoded");

// Percent-encodes for forms and query strings (space as %20).
std::string UrlEncode(std::string_view text);
// "a=1&b=2" from pairs, each value UrlEncoded.
std::string Form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace spinlog::e2e
