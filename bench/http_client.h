// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection, for
// the benchmark tools in bench/ only (no TLS, no redirects, no pipelining).
//
// One HttpConnection belongs to one thread; it is not thread-safe. It
// reconnects by itself before the next request when the server closed the
// connection after an answer (`Connection: close` or HTTP/1.0).
#pragma once

#include <string>
#include <string_view>

namespace spinlog::bench {

struct HttpResponse {
  int status = 0;      // e.g. 200
  std::string body;    // decoded (chunked transfer removed)
  bool close = false;  // the server ends the connection after this answer
};

class HttpConnection {
 public:
  // `timeout_ms` bounds each connect, send and receive call.
  HttpConnection(std::string host, int port, int timeout_ms);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` (a complete HTTP/1.1 request, headers and body) and reads
  // the whole answer into `*response`. Connects first when not connected.
  // Returns false and sets `*error` on a connection failure (refused, reset,
  // timeout, closed before a complete answer, unparseable answer); the
  // connection is then closed and the next call connects again.
  bool RoundTrip(std::string_view request, HttpResponse* response, std::string* error);

  void Close();

 private:
  bool Connect(std::string* error);
  bool SendAll(std::string_view data, std::string* error);
  // Appends at least one byte to in_. Returns false on EOF or error.
  bool ReadMore(std::string* error);
  bool ReadResponse(HttpResponse* response, std::string* error);
  bool ReadChunked(std::size_t pos, HttpResponse* response, std::string* error);

  std::string host_;
  int port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string in_;  // bytes received and not yet consumed
};

}  // namespace spinlog::bench
