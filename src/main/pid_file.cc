#include "main/pid_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace spinlog {

Status WritePidFile(const std::string& path) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << ::getpid() << '\n';
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return Status::IOError("cannot write pid file " + temporary);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return Status::IOError("cannot write pid file " + path + ": " + std::strerror(error));
  }
  return Status::OK();
}

void RemovePidFileIfOurs(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (in >> pid && pid == static_cast<long>(::getpid())) std::remove(path.c_str());
}

}  // namespace spinlog
