#include "http/route_pattern.h"

#include <algorithm>
#include <cassert>

namespace spinlog::http {
namespace {

// Calls visit(segment) for each '/'-separated segment after the leading '/';
// stops early when visit returns false. Returns false when `path` does not
// start with '/' or a visit said stop.
template <typename Visit>
bool ForEachSegment(std::string_view path, Visit visit) {
  if (path.empty() || path.front() != '/') return false;
  std::size_t begin = 1;
  while (true) {
    const std::size_t end = path.find('/', begin);
    const std::string_view segment =
        path.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    if (!visit(segment)) return false;
    if (end == std::string_view::npos) return true;
    begin = end + 1;
  }
}

}  // namespace

RoutePattern::RoutePattern(std::string pattern) : text_(std::move(pattern)) {
  const bool well_formed = ForEachSegment(text_, [this](std::string_view segment) {
    Segment parsed;
    if (segment.size() >= 3 && segment.front() == '{' && segment.back() == '}') {
      parsed.text = std::string(segment.substr(1, segment.size() - 2));
      parsed.is_param = true;
      literal_ = false;
    } else {
      parsed.text = std::string(segment);
    }
    segments_.push_back(std::move(parsed));
    return true;
  });
  assert(well_formed && "route patterns start with '/'");
  (void)well_formed;  // only checked in debug builds
}

bool RoutePattern::Match(std::string_view path,
                         std::vector<std::pair<std::string, std::string>>* params) const {
  if (literal_) return path == text_;
  std::size_t index = 0;
  const std::size_t params_before = params != nullptr ? params->size() : 0;
  const bool matched = ForEachSegment(path, [&](std::string_view segment) {
    if (index >= segments_.size()) return false;
    const Segment& want = segments_[index++];
    if (want.is_param) {
      if (segment.empty()) return false;
      if (params != nullptr) params->emplace_back(want.text, std::string(segment));
      return true;
    }
    return segment == want.text;
  });
  if (matched && index == segments_.size()) return true;
  if (params != nullptr) params->resize(params_before);
  return false;
}

bool RoutePattern::MoreSpecificThan(const RoutePattern& other) const {
  const std::size_t n = std::min(segments_.size(), other.segments_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (segments_[i].is_param != other.segments_[i].is_param) return !segments_[i].is_param;
  }
  return false;
}

}  // namespace spinlog::http
