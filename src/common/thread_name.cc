#include "common/thread_name.h"

#include <pthread.h>

#include <algorithm>
#include <string>

namespace spinlog {

void NameCurrentThread(std::string_view name) {
  constexpr std::size_t kMaxBytes = 15;
  const std::string cut(name.substr(0, std::min(name.size(), kMaxBytes)));
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace spinlog
