// load_plays: posts every play of an NDJSON file (w1_generator's format) to a
// running server through the classic API, `POST /add_play`, over N keep-alive
// connections (one thread each, one request in flight per connection).
//
// Bounded: stops at the end of the file or after --max-seconds. Prints
// plays/s and a count per HTTP status, then one parseable line:
//   RESULT sent=N seconds=S plays_per_s=R ok=N non200=N status_5xx=N
//          connection_failures=N malformed=N unsent=N
// Exit status: 0 when every answer came and none was a 5xx; 1 on any 5xx,
// connection failure or malformed input line; 2 on a bad command line or an
// unreadable file. 4xx answers (409 conflict, 400) are counted, not fatal.
//
// Usage: load_plays --port P --file F [--host 127.0.0.1] [--connections 16]
//                   [--max-seconds 900] [--timeout-ms 30000] [--json]
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http_client.h"
#include "play_record.h"

namespace spinlog::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";  // Default: 127.0.0.1
  int port = 0;                    // required
  int connections = 16;            // Default: 16
  std::string file;                // required
  double max_seconds = 900;        // Default: 900 s
  int timeout_ms = 30'000;         // Default: 30000 ms per socket call
  bool json = false;               // Default: false (form-encoded bodies)
};

// Counters of one worker; summed at the end.
struct Tally {
  std::array<std::int64_t, 600> status{};
  std::int64_t connection_failures = 0;
  std::int64_t malformed = 0;
};

struct Shared {
  const Options* options = nullptr;
  std::vector<std::string_view> lines;
  std::atomic<std::size_t> next{0};
  std::atomic<std::int64_t> answered{0};
  std::atomic<bool> stop{false};
  Clock::time_point deadline;
  std::mutex print_mu;
  int printed_errors = 0;  // guarded by print_mu
};

constexpr int kMaxPrintedErrors = 5;
constexpr int kAttemptsPerPlay = 2;
// Consecutive connection failures after which a worker concludes the server is gone.
constexpr int kMaxConsecutiveFailures = 5;

void PrintError(Shared& shared, std::string_view what, std::string_view detail) {
  std::lock_guard<std::mutex> lock(shared.print_mu);
  if (shared.printed_errors >= kMaxPrintedErrors) return;
  ++shared.printed_errors;
  std::fprintf(stderr, "load_plays: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(std::min<std::size_t>(detail.size(), 500)), detail.data());
}

std::string Request(const Options& o, std::string_view body, bool json) {
  std::string r;
  r.reserve(body.size() + 200);
  r += "POST /add_play HTTP/1.1\r\nHost: ";
  r += o.host;
  r += ':';
  r += std::to_string(o.port);
  r += json ? "\r\nContent-Type: application/json\r\n"
            : "\r\nContent-Type: application/x-www-form-urlencoded\r\n";
  r += "Content-Length: ";
  r += std::to_string(body.size());
  r += "\r\n\r\n";
  r += body;
  return r;
}

void Worker(Shared& shared, Tally& tally) {
  const Options& o = *shared.options;
  HttpConnection conn(o.host, o.port, o.timeout_ms);
  PlayRecord play;
  HttpResponse response;
  std::string error;
  int consecutive_failures = 0;
  while (!shared.stop.load(std::memory_order_relaxed)) {
    if (Clock::now() >= shared.deadline) break;
    const std::size_t i = shared.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= shared.lines.size()) break;
    const std::string_view line = shared.lines[i];
    if (!ParsePlayLine(line, &play)) {
      ++tally.malformed;
      PrintError(shared, "malformed line " + std::to_string(i + 1), line);
      continue;
    }
    const std::string request = Request(o, o.json ? std::string(line) : FormBody(play), o.json);
    bool answered = false;
    // A failed round trip may or may not have stored the play; re-posting the
    // same play is idempotent, so one retry on a fresh connection is safe.
    for (int attempt = 0; attempt < kAttemptsPerPlay && !answered; ++attempt) {
      if (conn.RoundTrip(request, &response, &error)) {
        answered = true;
        consecutive_failures = 0;
      } else {
        ++tally.connection_failures;
        ++consecutive_failures;
        PrintError(shared, "connection failure", error);
        if (consecutive_failures >= kMaxConsecutiveFailures) {
          PrintError(shared, "giving up", "the server does not answer");
          shared.stop = true;
          return;
        }
      }
    }
    if (!answered) continue;
    ++tally.status[static_cast<std::size_t>(response.status)];
    if (response.status != 200) {
      PrintError(shared,
                 "HTTP " + std::to_string(response.status) + " for line " + std::to_string(i + 1),
                 response.body);
    }
    shared.answered.fetch_add(1, std::memory_order_relaxed);
  }
}

bool ReadFile(const std::string& path, std::string* data) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data->append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

template <typename T>
bool ParseNumber(std::string_view s, T& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseFlags(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg != "--json" && arg != "--help" && i + 1 < argc) {
      value = argv[++i];
    }
    bool ok = true;
    if (arg == "--host") {
      o.host = std::string(value);
    } else if (arg == "--port") {
      ok = ParseNumber(value, o.port) && o.port > 0 && o.port < 65536;
    } else if (arg == "--connections") {
      ok = ParseNumber(value, o.connections) && o.connections > 0 && o.connections <= 1024;
    } else if (arg == "--file") {
      o.file = std::string(value);
    } else if (arg == "--max-seconds") {
      ok = ParseNumber(value, o.max_seconds) && o.max_seconds > 0;
    } else if (arg == "--timeout-ms") {
      ok = ParseNumber(value, o.timeout_ms) && o.timeout_ms > 0;
    } else if (arg == "--json") {
      o.json = true;
    } else {
      std::fprintf(stderr,
                   "usage: load_plays --port P --file F [--host 127.0.0.1] [--connections 16]\n"
                   "                  [--max-seconds 900] [--timeout-ms 30000] [--json]\n");
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "load_plays: bad value for %s\n", argv[i]);
      return false;
    }
  }
  if (o.port == 0 || o.file.empty()) {
    std::fprintf(stderr, "load_plays: --port and --file are required\n");
    return false;
  }
  return true;
}

int Run(const Options& o) {
  std::string data;
  if (!ReadFile(o.file, &data)) {
    std::fprintf(stderr, "load_plays: cannot read %s\n", o.file.c_str());
    return 2;
  }
  Shared shared;
  shared.options = &o;
  for (std::size_t from = 0; from < data.size();) {
    std::size_t to = data.find('\n', from);
    if (to == std::string::npos) to = data.size();
    std::string_view line(data.data() + from, to - from);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) shared.lines.push_back(line);
    from = to + 1;
  }
  const auto started = Clock::now();
  shared.deadline = started + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.max_seconds));
  std::vector<Tally> tallies(static_cast<std::size_t>(o.connections));
  std::vector<std::thread> threads;
  std::atomic<int> running{o.connections};
  for (auto& t : tallies) {
    threads.emplace_back([&shared, &t, &running] {
      Worker(shared, t);
      running.fetch_sub(1);
    });
  }
  auto last_report = started;
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto now = Clock::now();
    if (now - last_report >= std::chrono::seconds(10)) {
      last_report = now;
      const double s = std::chrono::duration<double>(now - started).count();
      const auto n = shared.answered.load();
      std::fprintf(stderr, "load_plays: %lld of %zu plays after %.0f s (%.0f/s)\n",
                   static_cast<long long>(n), shared.lines.size(), s, static_cast<double>(n) / s);
    }
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  Tally total;
  for (const auto& t : tallies) {
    for (std::size_t s = 0; s < total.status.size(); ++s) total.status[s] += t.status[s];
    total.connection_failures += t.connection_failures;
    total.malformed += t.malformed;
  }
  std::int64_t sent = 0;
  std::int64_t server_errors = 0;
  for (std::size_t s = 0; s < total.status.size(); ++s) {
    sent += total.status[s];
    if (s >= 500) server_errors += total.status[s];
  }
  const std::int64_t ok = total.status[200];
  const std::size_t taken = std::min(shared.next.load(), shared.lines.size());
  const auto unsent = static_cast<long long>(shared.lines.size() - taken);
  const double rate = seconds > 0 ? static_cast<double>(sent) / seconds : 0;
  std::printf("load_plays: %lld plays answered in %.2f s: %.0f plays/s over %d connections\n",
              static_cast<long long>(sent), seconds, rate, o.connections);
  for (std::size_t s = 0; s < total.status.size(); ++s) {
    if (total.status[s] > 0) {
      std::printf("  HTTP %zu: %lld\n", s, static_cast<long long>(total.status[s]));
    }
  }
  if (unsent > 0) {
    std::printf("  stopped early (%s): %lld plays not sent\n",
                shared.stop ? "server gone" : "--max-seconds reached", unsent);
  }
  std::printf(
      "RESULT sent=%lld seconds=%.3f plays_per_s=%.1f ok=%lld non200=%lld status_5xx=%lld "
      "connection_failures=%lld malformed=%lld unsent=%lld\n",
      static_cast<long long>(sent), seconds, rate, static_cast<long long>(ok),
      static_cast<long long>(sent - ok), static_cast<long long>(server_errors),
      static_cast<long long>(total.connection_failures), static_cast<long long>(total.malformed),
      unsent);
  return (server_errors > 0 || total.connection_failures > 0 || total.malformed > 0) ? 1 : 0;
}

}  // namespace
}  // namespace spinlog::bench

int main(int argc, char** argv) {
  spinlog::bench::Options options;
  if (!spinlog::bench::ParseFlags(argc, argv, options)) return 2;
  return spinlog::bench::Run(options);
}
