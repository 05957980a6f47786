#include "e2e/server_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>

namespace spinlog::e2e {
namespace {

std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// Starts the spinlog binary with `args` (after the program name), its stdout
// and stderr going into a pipe, its stdin from `stdin_fd` when not -1.
// Returns the pid (-1 on failure) and puts the pipe's read end in *output_fd.
pid_t Spawn(const std::vector<std::string>& extra, int* output_fd, int stdin_fd = -1) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  std::vector<std::string> args{SpinlogBinary()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_t pid = fork();
  if (pid == 0) {
    // A test binary that crashes or is killed must not leave servers behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (stdin_fd >= 0) dup2(stdin_fd, STDIN_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    dup2(pipe_fds[1], STDOUT_FILENO);
    std::vector<char*> argv = Argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return -1;
  }
  *output_fd = pipe_fds[0];
  return pid;
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string SpinlogBinary() { return SPINLOG_BINARY; }

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait(10000);
  }
  if (reader_.joinable()) reader_.join();
}

bool ServerProcess::Start(const std::string& data_dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"serve", "--listen", "127.0.0.1:0", "--data", data_dir};
  args.insert(args.end(), extra.begin(), extra.end());
  int fd = -1;
  pid_ = Spawn(args, &fd);
  if (pid_ < 0) return false;
  reader_ = std::thread([this, fd] { ReadLog(fd); });

  static const std::regex kServing("serving on 127\\.0\\.0\\.1:([0-9]+)[^\\n]*\\n");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    std::string log = Log();
    if (std::regex_search(log, match, kServing)) {
      port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
      return true;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void ServerProcess::ReadLog(int fd) {
  char chunk[4096];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    log_.append(chunk, static_cast<std::size_t>(n));
  }
  close(fd);
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ServerProcess::Wait(int timeout_ms) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      if (reader_.joinable()) reader_.join();
      return DecodeWaitStatus(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ServerProcess::Log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool ServerProcess::WaitForLog(const std::string& text, int timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (Log().find(text) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int RunSpinlog(const std::vector<std::string>& args, std::string* output) {
  return RunSpinlogWithInput(args, "", output);
}

int RunSpinlogWithInput(const std::vector<std::string>& args, const std::string& stdin_path,
                        std::string* output) {
  int input = -1;
  if (!stdin_path.empty()) {
    input = open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input < 0) return -1;
  }
  int fd = -1;
  pid_t pid = Spawn(args, &fd, input);
  if (input >= 0) close(input);
  if (pid < 0) return -1;
  output->clear();
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
    output->append(chunk, static_cast<std::size_t>(n));
  }
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  return DecodeWaitStatus(status);
}

pid_t StartSpinlog(const std::vector<std::string>& extra) {
  const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) return -1;
  std::vector<std::string> args{SpinlogBinary()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // as in Spawn
    dup2(null_fd, STDERR_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    std::vector<char*> argv = Argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(null_fd);
  return pid;
}

int WaitSpinlog(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return DecodeWaitStatus(status);
}

}  // namespace spinlog::e2e
