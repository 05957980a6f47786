// TestClient: a tiny blocking HTTP/1.1 client over plain POSIX sockets, for
// server tests over loopback. It writes raw bytes (so tests control
// pipelining and malformed input) and parses responses with Content-Length.
//
// Thread-safety: one thread per client.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::http::testing {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (ASCII case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

class TestClient {
 public:
  // Connects to 127.0.0.1:port; check connected().
  explicit TestClient(std::uint16_t port);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Writes all of `bytes`; false on error.
  bool Send(std::string_view bytes);

  // Reads one response; nullopt on EOF, error or timeout. For a response to
  // HEAD pass `head` (its Content-Length announces a body that is not sent).
  std::optional<RawResponse> Read(bool head = false,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Whether the server closes the connection (EOF or reset) within `timeout`,
  // discarding anything it sends first.
  bool WaitForClose(std::chrono::milliseconds timeout);

 private:
  // Appends what arrives within `timeout` to buffer_; false on EOF/error/timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// "GET /path HTTP/1.1" with Host and any extra header lines ("Name: value").
std::string GetRequest(std::string_view target, std::vector<std::string> extra_headers = {});
// A POST with a Content-Length body.
std::string PostRequest(std::string_view target, std::string_view body,
                        std::vector<std::string> extra_headers = {});

}  // namespace spinlog::http::testing
