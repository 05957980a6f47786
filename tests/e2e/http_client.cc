#include "e2e/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <strings.h>

namespace spinlog::e2e {

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return "";
}

HttpConnection::HttpConnection(std::uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) close(fd_);
}

bool HttpConnection::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

namespace {

bool ReadMore(int fd, std::string* buffer, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char chunk[65536];
  ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
  if (n <= 0) return false;
  buffer->append(chunk, static_cast<std::size_t>(n));
  return true;
}

// The request line and Host header.
std::string RequestHead(std::string_view method, std::string_view target) {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
}

}  // namespace

HttpResponse HttpConnection::ReadResponse(int timeout_ms, bool to_head) {
  HttpResponse response;
  if (fd_ < 0) return response;
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(fd_, &buffer_, timeout_ms)) return response;
  }
  std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return response;
  int status = std::atoi(status_line.c_str() + 9);
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  bool chunked = false;
  long length = -1;
  while (pos < head.size()) {
    std::size_t eol = head.find("\r\n", pos);
    if (eol == std::string::npos) eol = head.size();
    std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.emplace_back(key, value);
    if (strcasecmp(key.c_str(), "Content-Length") == 0) length = std::atol(value.c_str());
    if (strcasecmp(key.c_str(), "Transfer-Encoding") == 0 &&
        value.find("chunked") != std::string::npos) {
      chunked = true;
    }
  }
  if (to_head || status == 204 || status == 304) {
    // No body, whatever the headers say.
  } else if (chunked) {
    for (;;) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!ReadMore(fd_, &buffer_, timeout_ms)) return response;
      }
      long size = std::strtol(buffer_.c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + static_cast<std::size_t>(size) + 2) {
        if (!ReadMore(fd_, &buffer_, timeout_ms)) return response;
      }
      response.body.append(buffer_, eol + 2, static_cast<std::size_t>(size));
      buffer_.erase(0, eol + 2 + static_cast<std::size_t>(size) + 2);
      if (size == 0) break;
    }
  } else if (length >= 0) {
    while (buffer_.size() < static_cast<std::size_t>(length)) {
      if (!ReadMore(fd_, &buffer_, timeout_ms)) return response;
    }
    response.body = buffer_.substr(0, static_cast<std::size_t>(length));
    buffer_.erase(0, static_cast<std::size_t>(length));
  }
  response.status = status;
  return response;
}

HttpResponse HttpConnection::Request(std::string_view method, std::string_view target,
                                     std::string_view body, std::string_view content_type) {
  std::string request = RequestHead(method, target);
  if (!content_type.empty()) request += "Content-Type: " + std::string(content_type) + "\r\n";
  if (!body.empty() || method == "POST") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  if (!SendRaw(request)) return HttpResponse{};
  return ReadResponse(10000, method == "HEAD");
}

HttpResponse HttpConnection::RequestWithHeaders(std::string_view method, std::string_view target,
                                                const std::vector<std::string>& header_lines) {
  std::string request = RequestHead(method, target);
  for (const std::string& line : header_lines) request += line + "\r\n";
  request += "\r\n";
  if (!SendRaw(request)) return HttpResponse{};
  return ReadResponse(10000, method == "HEAD");
}

HttpResponse Get(std::uint16_t port, std::string_view target) {
  HttpConnection connection(port);
  return connection.Request("GET", target);
}

HttpResponse Post(std::uint16_t port, std::string_view target, std::string_view body,
                  std::string_view content_type) {
  HttpConnection connection(port);
  return connection.Request("POST", target, body, content_type);
}

std::string UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

}  // namespace spinlog::e2e
