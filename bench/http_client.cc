#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace spinlog::bench {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IContains(std::string_view haystack, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (IEquals(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

HttpConnection::HttpConnection(std::string host, int port, int timeout_ms)
    : host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}

HttpConnection::~HttpConnection() { Close(); }

void HttpConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
}

bool HttpConnection::Connect(std::string* error) {
  Close();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    *error = "not an IPv4 address: " + host_;
    return false;
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = Errno("socket");
    return false;
  }
  timeval tv{};
  tv.tv_sec = timeout_ms_ / 1000;
  tv.tv_usec = (timeout_ms_ % 1000) * 1000;
  // SO_SNDTIMEO also bounds a blocking connect on Linux.
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    *error = Errno("connect");
    Close();
    return false;
  }
  return true;
}

bool HttpConnection::SendAll(std::string_view data, std::string* error) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("send");
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool HttpConnection::ReadMore(std::string* error) {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      in_.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) {
      *error = "connection closed by the server before a complete answer";
      return false;
    }
    if (errno == EINTR) continue;
    *error = (errno == EAGAIN || errno == EWOULDBLOCK) ? "timed out waiting for the answer"
                                                       : Errno("recv");
    return false;
  }
}

bool HttpConnection::RoundTrip(std::string_view request, HttpResponse* response,
                               std::string* error) {
  if (fd_ < 0 && !Connect(error)) return false;
  if (!SendAll(request, error) || !ReadResponse(response, error)) {
    Close();
    return false;
  }
  if (response->close) Close();
  return true;
}

bool HttpConnection::ReadResponse(HttpResponse* response, std::string* error) {
  std::size_t header_end;
  while ((header_end = in_.find("\r\n\r\n")) == std::string::npos) {
    if (in_.size() > 1 << 20) {
      *error = "answer headers larger than 1 MiB";
      return false;
    }
    if (!ReadMore(error)) return false;
  }
  const std::string_view head(in_.data(), header_end);
  // Status line: HTTP/1.x NNN reason
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
    *error = "not an HTTP answer";
    return false;
  }
  const bool http10 = head.substr(0, 8) == "HTTP/1.0";
  int status = 0;
  const auto r = std::from_chars(head.data() + 9, head.data() + 12, status);
  if (r.ec != std::errc() || status < 100 || status > 599) {
    *error = "bad status line";
    return false;
  }
  response->status = status;
  response->body.clear();
  response->close = http10;
  long long content_length = -1;
  bool chunked = false;
  std::size_t line_start = head.find("\r\n");
  while (line_start != std::string_view::npos && line_start + 2 <= head.size()) {
    const std::size_t from = line_start + 2;
    std::size_t to = head.find("\r\n", from);
    const std::string_view line = head.substr(from, to == std::string_view::npos ? to : to - from);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view name = Trim(line.substr(0, colon));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (IEquals(name, "content-length")) {
        const auto cr = std::from_chars(value.data(), value.data() + value.size(), content_length);
        if (cr.ec != std::errc() || content_length < 0) {
          *error = "bad Content-Length";
          return false;
        }
      } else if (IEquals(name, "transfer-encoding")) {
        chunked = IContains(value, "chunked");
      } else if (IEquals(name, "connection")) {
        if (IContains(value, "close")) response->close = true;
        if (IContains(value, "keep-alive")) response->close = false;
      }
    }
    line_start = to;
  }
  const std::size_t body_start = header_end + 4;
  if (status < 200 || status == 204 || status == 304) {
    // No body, whatever the headers say (RFC 9112 section 6.3).
    in_.erase(0, body_start);
    return true;
  }
  if (chunked) return ReadChunked(body_start, response, error);
  if (content_length < 0) {
    // The body runs to the end of the connection.
    response->close = true;
    std::string ignored;
    while (ReadMore(&ignored)) {
    }
    response->body = in_.substr(body_start);
    in_.clear();
    return true;
  }
  const std::size_t need = body_start + static_cast<std::size_t>(content_length);
  while (in_.size() < need) {
    if (!ReadMore(error)) return false;
  }
  response->body.assign(in_, body_start, static_cast<std::size_t>(content_length));
  in_.erase(0, need);
  return true;
}

bool HttpConnection::ReadChunked(std::size_t pos, HttpResponse* response, std::string* error) {
  for (;;) {
    std::size_t eol;
    while ((eol = in_.find("\r\n", pos)) == std::string::npos) {
      if (!ReadMore(error)) return false;
    }
    std::size_t size = 0;
    const auto r = std::from_chars(in_.data() + pos, in_.data() + eol, size, 16);
    if (r.ec != std::errc()) {
      *error = "bad chunk size";
      return false;
    }
    pos = eol + 2;
    if (size == 0) {
      // Trailers, then an empty line.
      for (;;) {
        while ((eol = in_.find("\r\n", pos)) == std::string::npos) {
          if (!ReadMore(error)) return false;
        }
        const bool empty = eol == pos;
        pos = eol + 2;
        if (empty) break;
      }
      in_.erase(0, pos);
      return true;
    }
    while (in_.size() < pos + size + 2) {
      if (!ReadMore(error)) return false;
    }
    response->body.append(in_, pos, size);
    pos += size + 2;
  }
}

}  // namespace spinlog::bench
