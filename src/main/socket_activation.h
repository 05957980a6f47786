// Listening sockets handed to spinlog at start, by systemd socket activation
// or by a spinlog that hands over to its successor (main/handover.h): the
// sd_listen_fds(3) protocol, implemented here (it is a few environment
// variables) rather than linking libsystemd.
//
//   LISTEN_PID      the pid the descriptors are meant for (ours, or they
//                   were meant for a parent and are ignored)
//   LISTEN_FDS      how many descriptors, starting at 3
//   LISTEN_FDNAMES  optional, colon-separated names (FileDescriptorName=)
#pragma once

#include <optional>
#include <string>

#include "common/result.h"

namespace spinlog {

// The first descriptor of the protocol (SD_LISTEN_FDS_START).
inline constexpr int kListenFdsStart = 3;

struct InheritedSocket {
  int fd = -1;
  // Where it listens, "127.0.0.1:8080" or "[::1]:8080", for the log.
  std::string address;
  // Its local IP address alone, "127.0.0.1" or "::1" (for the loopback check).
  std::string host;
  // Its LISTEN_FDNAMES entry; "" when none was given.
  std::string name;
};

// Reads and then unsets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES (so that no
// child of ours mistakes them for its own). Returns nullopt when they are
// absent or LISTEN_PID names another process. Returns InvalidArgument,
// naming the variable, when they are malformed, when more than one socket is
// passed (spinlog serves one), or when descriptor 3 is not a listening TCP
// socket. The socket gets FD_CLOEXEC; the caller owns it.
Result<std::optional<InheritedSocket>> TakeInheritedSocket();

// "127.0.0.1:8080" for the local address of a bound socket; "" on error.
// `host`, when not null, gets the IP address alone.
std::string SocketAddress(int fd, std::string* host = nullptr);

}  // namespace spinlog
