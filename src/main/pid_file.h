// The pid file of `spinlog serve --pid-file`: names the process serving now,
// for scripts that send it SIGUSR2 (handover) or SIGTERM.
#pragma once

#include <string>

#include "common/result.h"

namespace spinlog {

// Writes this process's pid and a newline to `path`, atomically (a reader
// sees the old pid or the new one, never a partial file).
Status WritePidFile(const std::string& path);

// Removes `path` when it still names this process (a successor may have
// written its own since).
void RemovePidFileIfOurs(const std::string& path);

}  // namespace spinlog
