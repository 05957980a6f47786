#include "http/server_support.h"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <thread>

#include "common/logging.h"
#include "http/error_response.h"

namespace spinlog::http {
namespace {

// File descriptors kept free for everything else in the process (storage,
// logs) when max_connections is fitted under RLIMIT_NOFILE.
constexpr std::size_t kReservedFds = 64;

}  // namespace

std::string NextRequestId() {
  // Process-wide rather than per server, so ids stay unique when one process
  // runs several servers (tests, an admin listener).
  static std::atomic<std::uint64_t> next{1};
  std::uint64_t n = next.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "r-0000000000";
  for (std::size_t i = id.size(); i > 2 && n != 0; --i, n >>= 4) id[i - 1] = kHex[n & 0xf];
  return id;
}

std::size_t EventLoopThreadsFor(std::size_t cores) { return cores > 1 ? cores - 1 : 1; }

std::size_t UsableCores() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) == 0) {
    const int count = CPU_COUNT(&mask);
    if (count > 0) return static_cast<std::size_t>(count);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// RESTinio 0.6.16 stops accepting on a slot for good when accept() fails
// (e.g. EMFILE), so running out of descriptors must not happen.
std::size_t FitConnectionLimit(std::size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return wanted;
  const auto soft = static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t fitting =
      std::max<std::size_t>(soft > 2 * kReservedFds ? soft - kReservedFds : soft / 2, 1);
  if (wanted <= fitting) return wanted;
  logging::Warn("max_connections lowered from " + std::to_string(wanted) + " to " +
                std::to_string(fitting) + " to fit the open-file limit " + std::to_string(soft) +
                " (raise ulimit -n)");
  return fitting;
}

const char* DescribeListenErrno(int value) {
  switch (value) {
    case EADDRINUSE: return "address already in use";
    case EADDRNOTAVAIL: return "address not available on this host";
    case EACCES: return "permission denied";
    default: return nullptr;
  }
}

std::string SerializeClosingAnswer(const Response& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    ReasonPhrase(response.status) + "\r\n";
  if (!response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n\r\n";
  out += response.body;
  return out;
}

}  // namespace spinlog::http
