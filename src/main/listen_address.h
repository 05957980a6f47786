// Parsing of --listen values: "HOST:PORT", "[IPv6]:PORT" or ":PORT".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace spinlog {

struct ListenAddress {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Returns InvalidArgument saying what is wrong, e.g. "port 70000 is out of range".
// ":8080" means 127.0.0.1:8080 (loopback unless asked otherwise).
Result<ListenAddress> ParseListenAddress(std::string_view text);

// Whether `host` (as ParseListenAddress gives it) only reaches this machine:
// "localhost", 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104. Anything else, the
// wildcard addresses included, is reachable from elsewhere.
bool IsLoopbackHost(std::string_view host);

// "127.0.0.1:8080", "[::1]:8080".
std::string FormatListenAddress(std::string_view host, std::uint16_t port);

}  // namespace spinlog
