#include "unit/http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <strings.h>

namespace spinlog::http::testing {

std::string RawResponse::Header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (header_name.size() == name.size() &&
        strncasecmp(header_name.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return "";
}

TestClient::TestClient(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

TestClient::~TestClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool TestClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool TestClient::Fill(std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<RawResponse> TestClient::Read(bool head, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return std::nullopt;
  }
  RawResponse response;
  const std::string head_text = buffer_.substr(0, header_end);
  std::size_t line_end = head_text.find("\r\n");
  const std::string status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  response.status = std::atoi(status_line.c_str() + 9);
  while (line_end != std::string::npos) {
    const std::size_t begin = line_end + 2;
    line_end = head_text.find("\r\n", begin);
    const std::string line = head_text.substr(begin, line_end == std::string::npos ? std::string::npos
                                                                                   : line_end - begin);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::size_t value_begin = colon + 1;
    while (value_begin < line.size() && line[value_begin] == ' ') ++value_begin;
    response.headers.emplace_back(line.substr(0, colon), line.substr(value_begin));
  }
  const std::string length_text = response.Header("Content-Length");
  const std::size_t length = head || length_text.empty() ? 0 : std::stoul(length_text);
  const std::size_t body_begin = header_end + 4;
  while (buffer_.size() < body_begin + length) {
    if (!Fill(deadline)) return std::nullopt;
  }
  response.body = buffer_.substr(body_begin, length);
  buffer_.erase(0, body_begin + length);
  return response;
}

bool TestClient::WaitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 50);
    if (ready <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return true;
  }
  return false;
}

std::string GetRequest(std::string_view target, std::vector<std::string> extra_headers) {
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  for (const std::string& header : extra_headers) request += header + "\r\n";
  return request + "\r\n";
}

std::string PostRequest(std::string_view target, std::string_view body,
                        std::vector<std::string> extra_headers) {
  std::string request = "POST " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  for (const std::string& header : extra_headers) request += header + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return request + std::string(body);
}

}  // namespace spinlog::http::testing
