// ServerProcess: the real spinlog binary, started on a random loopback port
// with its own data directory, for end-to-end tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace spinlog::e2e {

using testing::TempDir;

// The path of the spinlog binary under test.
std::string SpinlogBinary();

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();  // SIGKILLs the process if it still runs.
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `spinlog serve --listen 127.0.0.1:0 --data DIR extra...` and waits
  // (up to 30 s) for its whole "serving on" line. False when it exits or
  // times out.
  bool Start(const std::string& data_dir, const std::vector<std::string>& extra_args = {});

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` (e.g. SIGTERM, SIGKILL).
  void Signal(int signal);
  // Waits for the process to end (up to timeout_ms) and returns its exit
  // status as `$?` would show it (128+N for signal N), or -1 on timeout.
  int Wait(int timeout_ms = 30000);
  // Everything the server wrote to stderr so far.
  std::string Log() const;
  // Waits (up to timeout_ms) until the log holds `text`; lines written after
  // "serving on" may not be there yet when Start returns.
  bool WaitForLog(const std::string& text, int timeout_ms = 10000) const;

 private:
  void ReadLog(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string log_;
};

// Runs the binary with `args` to completion (up to 30 s); returns its exit
// code and puts stdout+stderr in *output.
int RunSpinlog(const std::vector<std::string>& args, std::string* output);

// Like RunSpinlog, with standard input read from the file `stdin_path`.
int RunSpinlogWithInput(const std::vector<std::string>& args, const std::string& stdin_path,
                        std::string* output);

// Starts the binary with `args` without waiting for it, its output
// discarded. Returns its pid, or -1.
pid_t StartSpinlog(const std::vector<std::string>& args);

// Waits for a process from StartSpinlog to end; returns its exit status as
// `$?` would show it (128+N for signal N).
int WaitSpinlog(pid_t pid);

}  // namespace spinlog::e2e
