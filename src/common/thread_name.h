// Names the calling thread, so that top -H, perf and gdb tell the server's
// threads apart (event loops, committers, the answering thread, ...).
#pragma once

#include <string_view>

namespace spinlog {

// Linux keeps 15 bytes of a thread's name: a longer `name` is cut there.
// Best effort: a name the system refuses leaves the old one.
void NameCurrentThread(std::string_view name);

}  // namespace spinlog
