// RoutePattern: one parsed route path, either literal ("/add_play") or with
// `{name}` segments ("/api/v1/songs/{id}"), and how it matches request paths.
//
// Internal to the Router. Matching works on the raw (not percent-decoded)
// path, so a parameter value is raw too; "/" inside a parameter can only
// arrive as "%2F" and stays inside its segment.
//
// Thread-safety: immutable after construction; Match may run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::http {

class RoutePattern {
 public:
  // REQUIRES: `pattern` starts with '/'; a `{name}` is a whole segment with a
  // non-empty name.
  explicit RoutePattern(std::string pattern);

  const std::string& text() const { return text_; }
  // True when the pattern has no `{name}` segment.
  bool is_literal() const { return literal_; }

  // Whether `path` matches. A parameter matches one non-empty segment. On a
  // match with `params` non-null, appends a (name, raw value) pair for each
  // parameter, in pattern order.
  bool Match(std::string_view path, std::vector<std::pair<std::string, std::string>>* params) const;

  // True when this pattern must be tried before `other`: at the first segment
  // where one has a literal and the other a parameter, the literal wins.
  // Patterns of different lengths never match the same path, so their order
  // does not matter.
  bool MoreSpecificThan(const RoutePattern& other) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter name
    bool is_param = false;
  };

  std::string text_;
  std::vector<Segment> segments_;
  bool literal_ = true;
};

}  // namespace spinlog::http
