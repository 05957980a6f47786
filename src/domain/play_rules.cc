#include "domain/play_rules.h"

namespace spinlog::domain {

void CheckPlayTimes(UnixMicros start, UnixMicros end, std::vector<FieldViolation>* violations) {
  if (end <= start) {
    violations->push_back({"end", "must be after start"});
  } else if (end - start > kMaxPlayDuration) {
    violations->push_back({"end", "a play may last at most 24 hours"});
  }
}

}  // namespace spinlog::domain
