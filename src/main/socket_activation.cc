#include "main/socket_activation.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "main/listen_address.h"

namespace spinlog {
namespace {

// getenv as a string_view; nullopt when unset.
std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool ParseNumber(std::string_view text, long* out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string SocketAddress(int fd, std::string* host) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    if (host != nullptr) *host = text;
    return FormatListenAddress(text, ntohs(in->sin_port));
  }
  if (storage.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    if (host != nullptr) *host = text;
    return FormatListenAddress(text, ntohs(in6->sin6_port));
  }
  return "";
}

Result<std::optional<InheritedSocket>> TakeInheritedSocket() {
  const std::optional<std::string> pid_text = Env("LISTEN_PID");
  const std::optional<std::string> count_text = Env("LISTEN_FDS");
  const std::optional<std::string> names = Env("LISTEN_FDNAMES");
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  if (!count_text.has_value()) return std::optional<InheritedSocket>();

  long pid = 0;
  if (!pid_text.has_value() || !ParseNumber(*pid_text, &pid)) {
    return Status::InvalidArgument("LISTEN_PID: expected the pid the sockets are for, got \"" +
                                   pid_text.value_or("") + "\"");
  }
  // Meant for the process that started us, not for us.
  if (pid != static_cast<long>(::getpid())) return std::optional<InheritedSocket>();
  long count = 0;
  if (!ParseNumber(*count_text, &count) || count < 0) {
    return Status::InvalidArgument("LISTEN_FDS: expected a number of sockets, got \"" +
                                   *count_text + "\"");
  }
  if (count == 0) return std::optional<InheritedSocket>();
  if (count != 1) {
    return Status::InvalidArgument("LISTEN_FDS: spinlog serves one listening socket, got " +
                                   std::to_string(count) + " (one ListenStream= per unit)");
  }

  const int fd = kListenFdsStart;
  int type = 0;
  int listening = 0;
  socklen_t length = sizeof(int);
  sockaddr_storage address{};
  socklen_t address_length = sizeof(address);
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0 ||
      (address.ss_family != AF_INET && address.ss_family != AF_INET6)) {
    return Status::InvalidArgument(
        "LISTEN_FDS: descriptor 3 is not a TCP socket (spinlog needs ListenStream=HOST:PORT)");
  }
  length = sizeof(int);
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || listening == 0) {
    return Status::InvalidArgument(
        "LISTEN_FDS: descriptor 3 is a TCP socket that is not listening");
  }
  // Not passed on to anything we might start, except on purpose.
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);

  InheritedSocket socket;
  socket.fd = fd;
  socket.address = SocketAddress(fd, &socket.host);
  if (names.has_value()) socket.name = names->substr(0, names->find(':'));
  return std::optional<InheritedSocket>(std::move(socket));
}

}  // namespace spinlog
