// One play as the W1 generator writes it (an NDJSON line), and its encoding as
// a classic `POST /add_play` form body. For the benchmark tools in bench/.
#pragma once

#include <string>
#include <string_view>

namespace spinlog::bench {

struct PlayRecord {
  std::string channel;
  std::string performer;
  std::string title;
  std::string start;
  std::string end;
};

// Parses one flat JSON object with string fields "channel", "performer",
// "title", "start", "end" (others ignored; scalar values allowed, nested
// ones not). Handles every JSON string escape, \u surrogate pairs included.
// Returns false when the line is not such an object or a field is missing.
bool ParsePlayLine(std::string_view line, PlayRecord* play);

// Appends `s` percent-encoded for application/x-www-form-urlencoded:
// everything but ALPHA / DIGIT / "-" / "." / "_" / "~" becomes %XX.
void AppendPercentEncoded(std::string& out, std::string_view s);

// Returns "title=...&performer=...&channel=...&start=...&end=...".
std::string FormBody(const PlayRecord& play);

}  // namespace spinlog::bench
