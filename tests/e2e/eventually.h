// Eventually: retries a check until it holds, for what a server does on its
// own time (closing a connection, noticing a signal, a write failing).
#pragma once

#include <chrono>
#include <thread>

namespace spinlog::e2e {

// Calls `check` until it returns true or `timeout` passes, `pause` apart;
// returns its last answer.
template <typename Check>
bool Eventually(Check check, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                std::chrono::milliseconds pause = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!check()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(pause);
  }
  return true;
}

}  // namespace spinlog::e2e
