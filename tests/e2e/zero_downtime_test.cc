// Zero-downtime restarts (issue 8): a bounded load of reads and writes runs
// while the server is replaced by a new process, by socket activation (the
// test holds the listening socket, as systemd does, and starts each server
// with LISTEN_FDS) and by the SIGUSR2 handover. No request may fail; a
// request may be sent again only when its connection closed before any byte
// of the answer (RFC 9112 9.3.1; plays are idempotent by channel and start),
// and only on a kept-alive connection: a fresh connection that is closed or
// reset unanswered is a connection the listener dropped. Every write
// answered is then stored exactly once.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace spinlog::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Every server's stdout and stderr, through one pipe.
class LogPipe {
 public:
  LogPipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    write_fd_ = fds[1];
    reader_ = std::thread([this, fd = fds[0]] {
      char chunk[4096];
      // Until every writer has closed it, or (should a server have escaped
      // the test's clean-up) a bounded time after the test ended.
      std::optional<Clock::time_point> give_up;
      while (true) {
        if (closing_ && !give_up) give_up = Clock::now() + std::chrono::seconds(5);
        if (give_up && Clock::now() >= *give_up) break;
        pollfd readable{fd, POLLIN, 0};
        if (poll(&readable, 1, 100) <= 0) continue;
        const ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0) break;
        std::lock_guard lock(mutex_);
        text_.append(chunk, static_cast<std::size_t>(n));
      }
      close(fd);
    });
  }
  ~LogPipe() {
    if (write_fd_ >= 0) close(write_fd_);
    closing_ = true;
    if (reader_.joinable()) reader_.join();
  }
  int write_fd() const { return write_fd_; }
  std::string Text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }
  std::size_t Count(const std::string& needle) const {
    const std::string text = Text();
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
      ++count;
    }
    return count;
  }
  // Waits until `needle` occurs `count` times; false after `timeout`.
  bool WaitFor(const std::string& needle, std::size_t count, milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Count(needle) < count) {
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return true;
  }

 private:
  int write_fd_ = -1;
  std::atomic<bool> closing_{false};
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string text_;
};

// A TCP socket listening on 127.0.0.1, held as systemd holds a .socket's.
int ListenOnLoopback(std::uint16_t* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, 4096) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return -1;
  }
  *port = ntohs(address.sin_port);
  return fd;
}

// Starts `program args...` with its output into `log_fd`, `extra_env` added
// to its environment and, when `listen_fd` is not -1, that socket as
// descriptor 3 with LISTEN_PID and LISTEN_FDS (1 unless `extra_env` sets it)
// set the way systemd sets them.
pid_t Launch(const std::string& program, const std::vector<std::string>& args, int log_fd,
             int listen_fd, const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> strings{program};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = extra_env;
  const bool counted =
      std::any_of(env_strings.begin(), env_strings.end(),
                  [](const std::string& e) { return e.rfind("LISTEN_FDS=", 0) == 0; });
  if (listen_fd >= 0 && !counted) env_strings.push_back("LISTEN_FDS=1");
  std::vector<char*> envp;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "LISTEN_", 7) != 0 &&
        std::strncmp(*entry, "NOTIFY_SOCKET=", 14) != 0) {
      envp.push_back(*entry);
    }
  }
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  char pid_entry[40] = "LISTEN_PID=";
  if (listen_fd >= 0) envp.push_back(pid_entry);
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // Async-signal-safe from here on: the test has threads.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  if (listen_fd >= 0) {
    if (listen_fd == 3) {
      fcntl(3, F_SETFD, 0);
    } else {
      dup2(listen_fd, 3);
    }
    char digits[16];
    int n = 0;
    for (pid_t self = getpid(); self > 0; self /= 10)
      digits[n++] = static_cast<char>('0' + self % 10);
    char* out = pid_entry + std::strlen("LISTEN_PID=");
    while (n > 0) *out++ = digits[--n];
    *out = '\0';
  }
  syscall(SYS_close_range, listen_fd >= 0 ? 4 : 3, ~0U, 0);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

// Waits for `pid` (our child, or an orphan we reap as subreaper); returns
// its exit status as $? shows it, -1 on timeout.
int WaitExit(pid_t pid, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0 && errno == ECHILD) {
      // Not (yet) ours: a successor whose parent still runs.
      if (kill(pid, 0) != 0) return 0;
    }
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(milliseconds(2));
  }
}

pid_t ReadPid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return static_cast<pid_t>(pid);
}

// Waits (bounded) until the pid file names `pid`.
bool WaitForPidFile(const std::string& path, pid_t pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (ReadPid(path) != pid) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

// Waits (bounded) until the pid file names a process other than `pid`.
pid_t WaitForPidFileChange(const std::string& path, pid_t pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  pid_t now = ReadPid(path);
  while (now == pid || now <= 0) {
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(milliseconds(2));
    now = ReadPid(path);
  }
  return now;
}

// ---- the load -------------------------------------------------------------

struct Answer {
  int status = 0;
  std::string body;
  bool close = false;
};

enum class Outcome { kAnswered, kClosedBeforeAnswer, kFailed };

// One client connection, reopened when the server closes it.
class Connection {
 public:
  explicit Connection(std::uint16_t port) : port_(port) {}
  ~Connection() { Close(); }

  // Sends `request` and reads the answer. kClosedBeforeAnswer: the
  // connection ended (EOF, reset, a failed write) before any byte of the
  // answer; *fresh says whether it was opened for this request.
  Outcome Exchange(const std::string& request, Answer* answer, bool* fresh, std::string* error) {
    *fresh = fd_ < 0;
    if (fd_ < 0 && !Open(error)) return Outcome::kFailed;
    std::size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        *error = std::string("send: ") + std::strerror(errno);
        Close();
        return Outcome::kClosedBeforeAnswer;
      }
      sent += static_cast<std::size_t>(n);
    }
    std::string buffer;
    std::size_t header_end = std::string::npos;
    std::size_t total = 0;
    char chunk[16384];
    while (header_end == std::string::npos || buffer.size() < total) {
      pollfd readable{fd_, POLLIN, 0};
      if (poll(&readable, 1, 15000) <= 0) {
        *error = "no answer within 15 s";
        Close();
        return Outcome::kFailed;
      }
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        *error = n == 0 ? "connection closed" : std::string("recv: ") + std::strerror(errno);
        Close();
        return buffer.empty() ? Outcome::kClosedBeforeAnswer : Outcome::kFailed;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = buffer.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::string head = buffer.substr(0, header_end);
        std::transform(head.begin(), head.end(), head.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const std::size_t length_at = head.find("\r\ncontent-length:");
        if (length_at == std::string::npos || head.size() < 12) {
          *error = "answer without Content-Length: " + head;
          Close();
          return Outcome::kFailed;
        }
        answer->status = std::atoi(head.c_str() + 9);
        answer->close = head.find("\r\nconnection: close") != std::string::npos;
        total = header_end + 4 + std::strtoul(head.c_str() + length_at + 17, nullptr, 10);
      }
    }
    answer->body = buffer.substr(header_end + 4, total - header_end - 4);
    if (answer->close) Close();
    return Outcome::kAnswered;
  }

 private:
  bool Open(std::string* error) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      *error = std::string("connect: ") + std::strerror(errno);
      Close();
      return false;
    }
    return true;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  std::uint16_t port_;
  int fd_ = -1;
};

constexpr int kLoadThreads = 4;
constexpr int kMaxRequestsPerThread = 20000;
constexpr auto kMaxLoadTime = std::chrono::seconds(90);

std::string Channel(int thread) { return "zd-" + std::to_string(thread); }

// The n-th play of a thread's channel: five minutes apart from 2030 on.
std::string PlayStart(int n) {
  const std::time_t at = 1893456000 + static_cast<std::time_t>(n) * 300;  // 2030-01-01
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string PlayRequest(int thread, int n) {
  const std::time_t end_at = 1893456000 + static_cast<std::time_t>(n) * 300 + 180;
  std::tm tm{};
  gmtime_r(&end_at, &tm);
  char end[32];
  std::strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", &tm);
  const std::string body =
      "{\"channel\":\"" + Channel(thread) + "\",\"performer\":\"Zero Downtime\",\"title\":\"Song " +
      std::to_string(n % 50) + "\",\"start\":\"" + PlayStart(n) + "\",\"end\":\"" + end + "\"}";
  return "POST /api/v1/plays HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string GetRequest(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

struct LoadReport {
  long requests = 0;          // answered
  long writes_created = 0;    // answered created
  long writes_duplicate = 0;  // answered duplicate (after a retry)
  long retries = 0;           // sent again on a kept-alive connection closed unanswered
  long closing_answers = 0;   // answers with Connection: close (a draining server's)
  long max_latency_us = 0;    // slowest answer, retries included
  std::vector<std::string> failures;
  // Per thread, the plays answered created or duplicate.
  std::vector<std::vector<int>> written = std::vector<std::vector<int>>(kLoadThreads);
};

// Runs reads and writes on kLoadThreads kept-alive connections until `stop`
// (or a bound) and reports what happened.
class Load {
 public:
  explicit Load(std::uint16_t port) : port_(port) {}
  // A test that fails half-way still ends its threads.
  ~Load() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  void Start() {
    for (int t = 0; t < kLoadThreads; ++t) threads_.emplace_back([this, t] { Run(t); });
  }
  LoadReport Finish() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    return report_;
  }
  long answered() const { return answered_.load(); }

 private:
  void Run(int thread) {
    Connection connection(port_);
    const auto give_up = Clock::now() + kMaxLoadTime;
    int next_play = 0;
    const std::string top =
        "/get_top?channels=%5B%22" + Channel(thread) + "%22%5D&start=2030-01-01T00:00:00&limit=5";
    for (int i = 0; i < kMaxRequestsPerThread && !stop_ && Clock::now() < give_up; ++i) {
      const bool write = i % 2 == 0;
      const int play = write ? next_play++ : -1;
      const std::string request = write        ? PlayRequest(thread, play)
                                  : i % 4 == 1 ? GetRequest(top)
                                               : GetRequest("/api/v1/channels/1/plays?limit=5");
      Answer answer;
      bool retried = false;
      std::string error;
      const auto sent_at = Clock::now();
      Outcome outcome = Outcome::kFailed;
      for (int attempt = 0; attempt < 4; ++attempt) {
        bool fresh = false;
        outcome = connection.Exchange(request, &answer, &fresh, &error);
        if (outcome != Outcome::kClosedBeforeAnswer) break;
        if (fresh) {
          error = "a new connection was closed unanswered (" + error + ")";
          outcome = Outcome::kFailed;
          break;
        }
        retried = true;
        std::lock_guard lock(mutex_);
        ++report_.retries;
      }
      const long latency = static_cast<long>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent_at).count());
      std::lock_guard lock(mutex_);
      report_.max_latency_us = std::max(report_.max_latency_us, latency);
      const std::string what = write ? "play " + Channel(thread) + " " + PlayStart(play)
                                     : request.substr(0, request.find('\r'));
      if (outcome != Outcome::kAnswered) {
        report_.failures.push_back(what + ": " + error);
        continue;
      }
      ++report_.requests;
      ++answered_;
      if (answer.close) ++report_.closing_answers;
      if (answer.status != 200) {
        report_.failures.push_back(what + ": status " + std::to_string(answer.status) + " " +
                                   answer.body.substr(0, 200));
        continue;
      }
      if (!write) continue;
      if (answer.body.find("\"status\":\"created\"") != std::string::npos) {
        ++report_.writes_created;
        report_.written[thread].push_back(play);
      } else if (retried && answer.body.find("\"status\":\"duplicate\"") != std::string::npos) {
        ++report_.writes_duplicate;
        report_.written[thread].push_back(play);
      } else {
        report_.failures.push_back(what + ": unexpected answer " + answer.body.substr(0, 200));
      }
    }
  }

  const std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<long> answered_{0};
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  LoadReport report_;
};

// Waits until the load has had `count` more answers (bounded).
void LetLoadRun(const Load& load, long count) {
  const long target = load.answered() + count;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (load.answered() < target && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
}

// Every play answered created or duplicate is listed exactly once, and
// nothing else is stored on the test's channels.
void ExpectEveryWriteStoredOnce(std::uint16_t port, const LoadReport& report) {
  for (int t = 0; t < kLoadThreads; ++t) {
    HttpResponse listed = Get(port, "/get_channel_plays?channel=" + Channel(t) +
                                        "&start=2029-12-31T00:00:00&end=2040-01-01T00:00:00");
    ASSERT_EQ(listed.status, 200) << listed.body;
    std::map<std::string, int> stored;
    static const std::regex kStart("\"start\":\"([^\"]+)\"");
    for (std::sregex_iterator it(listed.body.begin(), listed.body.end(), kStart), end; it != end;
         ++it) {
      ++stored[(*it)[1]];
    }
    for (int play : report.written[t]) {
      // The classic API shows local times without a zone.
      std::string start = PlayStart(play);
      start.pop_back();
      auto found = stored.find(start);
      ASSERT_NE(found, stored.end()) << Channel(t) << " lost the answered play at " << start;
      EXPECT_EQ(found->second, 1) << Channel(t) << " " << start;
      stored.erase(found);
    }
    // Left over: plays stored without a created answer (their request
    // failed, which the test reports anyway).
    EXPECT_TRUE(stored.empty() || !report.failures.empty())
        << Channel(t) << " has " << stored.size() << " plays no answer told of";
  }
}

void Report(const char* how, const LoadReport& report, const LogPipe& log) {
  std::printf(
      "[zero-downtime %s] answered %ld requests (%ld writes created, %ld duplicate "
      "after a retry), %ld with Connection: close, %ld retries on closed keep-alive "
      "connections, slowest answer %.1f ms, %zu failures\n",
      how, report.requests, report.writes_created, report.writes_duplicate, report.closing_answers,
      report.retries, static_cast<double>(report.max_latency_us) / 1000.0, report.failures.size());
  static const std::regex kPause("accepting again ([0-9.]+ ms) after pid");
  const std::string text = log.Text();
  for (std::sregex_iterator it(text.begin(), text.end(), kPause), end; it != end; ++it) {
    std::printf("[zero-downtime %s] server log: socket unserved for %s\n", how,
                (*it)[1].str().c_str());
  }
  for (std::size_t i = 0; i < report.failures.size() && i < 20; ++i) {
    ADD_FAILURE() << report.failures[i];
  }
}

class ZeroDowntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Successors that outlive their parent become our children, so that
    // the test can wait for them.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
  void TearDown() override {
    for (pid_t pid : pids_) {
      if (kill(pid, 0) == 0) kill(pid, SIGKILL);
      WaitExit(pid, milliseconds(10000));
    }
    // A successor the test never learnt of (it failed half-way): orphaned,
    // it became our child.
    for (int round = 0; round < 3; ++round) {
      for (pid_t pid : SpinlogChildren()) {
        kill(pid, SIGKILL);
        WaitExit(pid, milliseconds(10000));
      }
    }
    prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
  // Our children whose command is spinlog.
  static std::vector<pid_t> SpinlogChildren() {
    std::vector<pid_t> found;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream stat(entry.path() / "stat");
      std::string line;
      std::getline(stat, line);
      // pid (comm) state ppid ...
      const std::size_t close_paren = line.rfind(')');
      const std::size_t open_paren = line.find('(');
      if (close_paren == std::string::npos || open_paren == std::string::npos) continue;
      const std::string comm = line.substr(open_paren + 1, close_paren - open_paren - 1);
      long ppid = 0;
      std::istringstream rest(line.substr(close_paren + 2));
      std::string state;
      rest >> state >> ppid;
      if (ppid == getpid() && comm.rfind("spinlog", 0) == 0) found.push_back(std::stoi(name));
    }
    return found;
  }
  std::vector<std::string> ServeArgs() const {
    return {"serve", "--data", dir_.path() + "/data", "--threads", "2", "--pid-file", PidFile()};
  }
  std::string PidFile() const { return dir_.path() + "/spinlog.pid"; }
  pid_t Track(pid_t pid) {
    if (pid > 0) pids_.push_back(pid);
    return pid;
  }

  TempDir dir_;
  std::vector<pid_t> pids_;
  // Destroyed first, once TearDown has ended every server writing to it.
  LogPipe log_;
};

constexpr auto kStartTimeout = milliseconds(30000);
// A line a server wrote before it exited reaches the test's reader a moment
// later.
constexpr auto kLogTimeout = milliseconds(10000);
constexpr auto kStopTimeout = milliseconds(30000);

TEST_F(ZeroDowntimeTest, SocketActivatedRestartsDropNoRequest) {
  std::uint16_t port = 0;
  const int listener = ListenOnLoopback(&port);
  ASSERT_GE(listener, 0);
  pid_t current = Track(Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), listener));
  ASSERT_TRUE(log_.WaitFor("serving on", 1, kStartTimeout)) << log_.Text();
  ASSERT_TRUE(log_.WaitFor("(inherited socket from socket activation)", 1, kLogTimeout))
      << log_.Text();

  Load load(port);
  load.Start();
  LetLoadRun(load, 200);
  // As `systemctl restart` does: stop, then start; and starting the new one
  // first, which then waits for the store.
  for (int round = 0; round < 3; ++round) {
    const bool overlap = round == 1;
    pid_t next = -1;
    if (overlap) next = Track(Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), listener));
    kill(current, SIGTERM);
    ASSERT_EQ(WaitExit(current, kStopTimeout), 0) << log_.Text();
    if (!overlap) next = Track(Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), listener));
    current = next;
    ASSERT_TRUE(log_.WaitFor("serving on", static_cast<std::size_t>(round) + 2, kStartTimeout))
        << log_.Text();
    LetLoadRun(load, 200);
  }
  const LoadReport report = load.Finish();
  Report("socket activation", report, log_);
  EXPECT_TRUE(log_.WaitFor("accepting again", 3, kLogTimeout)) << log_.Text();
  EXPECT_EQ(log_.Count("accepting again"), 3u) << log_.Text();
  EXPECT_GT(report.writes_created, 200);
  // Kept-alive clients of a draining server are told to go.
  EXPECT_GT(report.closing_answers, 0);
  ExpectEveryWriteStoredOnce(port, report);
  kill(current, SIGTERM);
  EXPECT_EQ(WaitExit(current, kStopTimeout), 0);
  close(listener);
}

TEST_F(ZeroDowntimeTest, HandoverBySignalDropsNoRequest) {
  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  pid_t current = Track(Launch(SpinlogBinary(), args, log_.write_fd(), -1));
  ASSERT_TRUE(log_.WaitFor("serving on", 1, kStartTimeout)) << log_.Text();
  std::smatch match;
  const std::string first_log = log_.Text();
  ASSERT_TRUE(
      std::regex_search(first_log, match, std::regex("serving on 127\\.0\\.0\\.1:([0-9]+)")));
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
  ASSERT_TRUE(WaitForPidFile(PidFile(), current));

  Load load(port);
  load.Start();
  LetLoadRun(load, 200);
  for (int round = 0; round < 3; ++round) {
    kill(current, SIGUSR2);
    ASSERT_EQ(WaitExit(current, kStopTimeout), 0) << log_.Text();
    ASSERT_TRUE(log_.WaitFor("serving on", static_cast<std::size_t>(round) + 2, kStartTimeout))
        << log_.Text();
    const pid_t next = WaitForPidFileChange(PidFile(), current);
    ASSERT_NE(next, current) << log_.Text();
    ASSERT_GT(next, 0) << log_.Text();
    current = Track(next);
    LetLoadRun(load, 200);
  }
  const LoadReport report = load.Finish();
  Report("SIGUSR2 handover", report, log_);
  EXPECT_TRUE(log_.WaitFor("accepting again", 3, kLogTimeout)) << log_.Text();
  EXPECT_EQ(log_.Count("accepting again"), 3u) << log_.Text();
  EXPECT_EQ(log_.Count("(inherited socket from pid "), 3u) << log_.Text();
  EXPECT_GT(report.writes_created, 200);
  // Kept-alive clients of a draining server are told to go.
  EXPECT_GT(report.closing_answers, 0);
  ExpectEveryWriteStoredOnce(port, report);
  kill(current, SIGTERM);
  EXPECT_EQ(WaitExit(current, kStopTimeout), 0);
  EXPECT_FALSE(std::filesystem::exists(PidFile()));
}

TEST_F(ZeroDowntimeTest, HandoverToAMissingBinaryKeepsServing) {
  // Started through a link that is gone when SIGUSR2 comes: the successor
  // cannot be run, and the server says so and keeps serving.
  const std::string link = dir_.path() + "/spinlog-link";
  std::filesystem::create_symlink(SpinlogBinary(), link);
  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  const pid_t server = Track(Launch(link, args, log_.write_fd(), -1));
  ASSERT_TRUE(log_.WaitFor("serving on", 1, kStartTimeout)) << log_.Text();
  std::smatch match;
  const std::string text = log_.Text();
  ASSERT_TRUE(std::regex_search(text, match, std::regex("serving on 127\\.0\\.0\\.1:([0-9]+)")));
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
  std::filesystem::remove(link);

  kill(server, SIGUSR2);
  ASSERT_TRUE(log_.WaitFor("handover aborted, still serving", 1, milliseconds(15000)))
      << log_.Text();
  EXPECT_TRUE(log_.WaitFor("No such file or directory", 1, kLogTimeout)) << log_.Text();
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  EXPECT_EQ(ReadPid(PidFile()), server);
  kill(server, SIGTERM);
  EXPECT_EQ(WaitExit(server, kStopTimeout), 0);
}

TEST_F(ZeroDowntimeTest, StoreWaitIsBoundedAndSaysWhy) {
  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  const pid_t holder = Track(Launch(SpinlogBinary(), args, log_.write_fd(), -1));
  ASSERT_TRUE(log_.WaitFor("serving on", 1, kStartTimeout)) << log_.Text();

  std::uint16_t port = 0;
  const int listener = ListenOnLoopback(&port);
  ASSERT_GE(listener, 0);
  std::vector<std::string> waiting = {"serve", "--data", dir_.path() + "/data", "--store-wait",
                                      "1"};
  const auto started = Clock::now();
  const pid_t second = Track(Launch(SpinlogBinary(), waiting, log_.write_fd(), listener));
  EXPECT_EQ(WaitExit(second, milliseconds(20000)), 1);
  EXPECT_GE(Clock::now() - started, milliseconds(1000));
  EXPECT_TRUE(log_.WaitFor("is still in use by another spinlog process after waiting 1000 ms", 1,
                           kLogTimeout))
      << log_.Text();
  close(listener);
  kill(holder, SIGTERM);
  EXPECT_EQ(WaitExit(holder, kStopTimeout), 0);
}

// Reads one datagram from `fd` (bounded); "" on timeout.
std::string ReceiveNotification(int fd) {
  pollfd readable{fd, POLLIN, 0};
  if (poll(&readable, 1, 30000) <= 0) return "";
  char buffer[4096];
  const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
}

TEST_F(ZeroDowntimeTest, TellsSystemdWhenReadyAndWhenStopping) {
  // A Type=notify unit: systemd listens on NOTIFY_SOCKET.
  const std::string path = dir_.path() + "/notify";
  const int notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(notify, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  std::uint16_t port = 0;
  const int listener = ListenOnLoopback(&port);
  ASSERT_GE(listener, 0);

  const pid_t server = Track(
      Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), listener, {"NOTIFY_SOCKET=" + path}));
  const std::string ready = ReceiveNotification(notify);
  EXPECT_EQ(ready, "READY=1\nSTATUS=serving on 127.0.0.1:" + std::to_string(port) +
                       " (inherited socket from socket activation)")
      << log_.Text();
  // Ready means accepting.
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  kill(server, SIGTERM);
  EXPECT_EQ(ReceiveNotification(notify), "STOPPING=1\nSTATUS=draining");
  EXPECT_EQ(WaitExit(server, kStopTimeout), 0);
  close(listener);
  close(notify);
}

TEST_F(ZeroDowntimeTest, BadSocketActivationFailsAtStartWithOneLine) {
  // Two sockets where spinlog serves one.
  std::uint16_t port = 0;
  const int listener = ListenOnLoopback(&port);
  ASSERT_GE(listener, 0);
  const pid_t two =
      Track(Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), listener, {"LISTEN_FDS=2"}));
  EXPECT_EQ(WaitExit(two, milliseconds(20000)), 1);
  EXPECT_TRUE(
      log_.WaitFor("LISTEN_FDS: spinlog serves one listening socket, got 2", 1, kLogTimeout))
      << log_.Text();
  // A socket that does not listen.
  const int unbound = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const pid_t idle = Track(Launch(SpinlogBinary(), ServeArgs(), log_.write_fd(), unbound));
  EXPECT_EQ(WaitExit(idle, milliseconds(20000)), 1);
  EXPECT_TRUE(log_.WaitFor("descriptor 3 is a TCP socket that is not listening", 1, kLogTimeout))
      << log_.Text();
  close(unbound);
  close(listener);
}

}  // namespace
}  // namespace spinlog::e2e
