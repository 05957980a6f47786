#include "main/handover.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "main/socket_activation.h"

extern char** environ;

namespace spinlog {
namespace {

// The successor's end of the readiness pipe, right after the socket.
constexpr int kReadyFd = kListenFdsStart + 1;
// Environment of a successor: the readiness pipe and the predecessor's pid.
// Not SPINLOG_*: those are configuration.
constexpr const char* kReadyFdVariable = "HANDOVER_READY_FD";
constexpr const char* kFromVariable = "HANDOVER_FROM_PID";
// What the successor writes: ready, or that exec failed (then errno).
constexpr char kReady = 'R';
constexpr char kExecFailed = 'E';

bool IsInheritedVariable(const char* entry) {
  for (const char* name : {"LISTEN_PID=", "LISTEN_FDS=", "LISTEN_FDNAMES=", "HANDOVER_READY_FD=",
                           "HANDOVER_FROM_PID="}) {
    if (std::strncmp(entry, name, std::strlen(name)) == 0) return true;
  }
  return false;
}

// argv[0] as execve needs it: as given when it has a '/', else found on PATH.
std::string ResolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return program;
}

// Writes `value` in decimal at `out` (async-signal-safe: used after fork).
void FormatPid(pid_t value, char* out) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 23);
  while (n > 0) *out++ = digits[--n];
  *out = '\0';
}

// Between fork and exec only async-signal-safe calls: the parent has threads.
[[noreturn]] void ExecSuccessor(int listen_fd, int ready_fd, const char* program,
                                char* const argv[], char* const envp[], char* pid_slot) {
  // Out of the way of 3 and 4 first, whatever numbers they have now.
  const int listen_copy = ::fcntl(listen_fd, F_DUPFD, 16);
  const int ready_copy = ::fcntl(ready_fd, F_DUPFD, 16);
  if (listen_copy < 0 || ready_copy < 0 || ::dup2(listen_copy, kListenFdsStart) < 0 ||
      ::dup2(ready_copy, kReadyFd) < 0) {
    ::_exit(126);
  }
  // Connections, store files, the event loops' descriptors: none may outlive
  // us in the successor (a client would never see its connection close).
  if (::syscall(SYS_close_range, kReadyFd + 1, ~0U, 0) != 0) {
    for (int fd = kReadyFd + 1; fd < 65536; ++fd) ::close(fd);
  }
  FormatPid(::getpid(), pid_slot);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGXFSZ, SIG_DFL);
  ::execve(program, argv, envp);
  const int error = errno;
  char message[1 + sizeof(int)];
  message[0] = kExecFailed;
  std::memcpy(message + 1, &error, sizeof(int));
  [[maybe_unused]] const ssize_t written = ::write(kReadyFd, message, sizeof(message));
  ::_exit(127);
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "ended";
}

std::string BootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

std::int64_t MonotonicMicros() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

std::string RecordPath(const std::string& data_dir) { return data_dir + "/spinlog.handover"; }

}  // namespace

Result<pid_t> StartSuccessor(int listen_fd, const std::vector<std::string>& command,
                             std::chrono::milliseconds ready_timeout) {
  if (command.empty()) return Status::InvalidArgument("no command to start the successor with");
  // Everything the child needs is built before fork.
  const std::string program = ResolveProgram(command.front());
  std::vector<char*> argv;
  for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> added = {"LISTEN_FDS=1", "LISTEN_FDNAMES=http",
                                    std::string(kReadyFdVariable) + "=" + std::to_string(kReadyFd),
                                    std::string(kFromVariable) + "=" + std::to_string(::getpid())};
  // The child writes its own pid here.
  char pid_entry[48] = "LISTEN_PID=";
  char* const pid_slot = pid_entry + std::strlen(pid_entry);
  std::vector<char*> envp;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!IsInheritedVariable(*entry)) envp.push_back(*entry);
  }
  for (std::string& entry : added) envp.push_back(entry.data());
  envp.push_back(pid_entry);
  envp.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Status::Unavailable(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Status::Unavailable(std::string("cannot fork: ") + std::strerror(error));
  }
  if (pid == 0)
    ExecSuccessor(listen_fd, pipe_fds[1], program.c_str(), argv.data(), envp.data(), pid_slot);
  ::close(pipe_fds[1]);

  // Ready, an exec failure, or end of file (it exited without a word).
  char message[1 + sizeof(int)] = {};
  std::size_t got = 0;
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  bool timed_out = false;
  while (got < 1 || (message[0] == kExecFailed && got < sizeof(message))) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{pipe_fds[0], POLLIN, 0};
    const int polled = ::poll(&readable, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;
    const ssize_t n = ::read(pipe_fds[0], message + got, sizeof(message) - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(pipe_fds[0]);
  if (got >= 1 && message[0] == kReady) return pid;

  std::string reason;
  if (timed_out) {
    ::kill(pid, SIGTERM);
    reason = "it did not get ready within " + std::to_string(ready_timeout.count()) + " ms";
  } else if (got == sizeof(message) && message[0] == kExecFailed) {
    int error = 0;
    std::memcpy(&error, message + 1, sizeof(int));
    reason = "cannot run " + program + ": " + std::strerror(error);
  }
  // Reaped here so that it leaves no zombie; bounded: it has ended, or was
  // told to, and waits for nothing of ours.
  int status = 0;
  pid_t reaped = 0;
  for (int i = 0; i < 500 && reaped == 0; ++i) {
    reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == 0) ::usleep(10000);
  }
  if (reason.empty()) {
    reason = "it " + (reaped == pid ? DescribeExit(status) : std::string("closed its pipe")) +
             " before taking over (see its log lines above)";
  }
  return Status::Unavailable("successor pid " + std::to_string(pid) + " not started: " + reason);
}

std::optional<pid_t> TellPredecessorReady() {
  const char* fd_text = std::getenv(kReadyFdVariable);
  const char* from_text = std::getenv(kFromVariable);
  std::optional<pid_t> from;
  if (fd_text != nullptr) {
    int fd = -1;
    const std::string_view text(fd_text);
    if (std::from_chars(text.data(), text.data() + text.size(), fd).ec == std::errc() && fd > 2 &&
        ::fcntl(fd, F_GETFD) >= 0) {
      const char ready = kReady;
      [[maybe_unused]] const ssize_t written = ::write(fd, &ready, 1);
      ::close(fd);
      from = from_text != nullptr ? static_cast<pid_t>(std::atol(from_text)) : 0;
    }
  }
  ::unsetenv(kReadyFdVariable);
  ::unsetenv(kFromVariable);
  return from;
}

void RecordStopAccepting(const std::string& data_dir) {
  std::ofstream out(RecordPath(data_dir), std::ios::trunc);
  out << BootId() << ' ' << MonotonicMicros() << ' ' << ::getpid() << '\n';
}

std::optional<StopRecord> TakeStopRecord(const std::string& data_dir) {
  const std::string path = RecordPath(data_dir);
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string boot;
  std::int64_t micros = 0;
  pid_t pid = 0;
  in >> boot >> micros >> pid;
  const bool valid = static_cast<bool>(in) && boot == BootId();
  in.close();
  std::remove(path.c_str());
  if (!valid) return std::nullopt;
  return StopRecord{pid, std::chrono::microseconds(MonotonicMicros() - micros)};
}

}  // namespace spinlog
