// PrometheusText: writes a page in the Prometheus text exposition format,
// version 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats): for
// each metric family a HELP and a TYPE line, then its samples, one a line,
// `name{label="value",...} value`.
//
// The writer escapes label values and help text; it does not check names
// (they come from our code, not from input) nor that a family is written
// once.
//
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "observability/histogram.h"

namespace spinlog::observability {

class PrometheusText {
 public:
  // The Content-Type of a page.
  static constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

  enum class Type { kCounter, kGauge, kHistogram };

  struct Label {
    std::string_view name;
    std::string_view value;  // any text; escaped as the format requires
  };
  using Labels = std::initializer_list<Label>;

  // Starts the family `name`: its HELP and TYPE lines.
  // REQUIRES: `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*.
  void Family(std::string_view name, Type type, std::string_view help);

  // One sample line. `name` is the family's, or with a suffix (_bucket...).
  void Sample(std::string_view name, std::span<const Label> labels, std::uint64_t value);
  void Sample(std::string_view name, std::span<const Label> labels, double value);
  void Sample(std::string_view name, Labels labels, std::uint64_t value) {
    Sample(name, std::span<const Label>(labels.begin(), labels.size()), value);
  }
  void Sample(std::string_view name, Labels labels, double value) {
    Sample(name, std::span<const Label>(labels.begin(), labels.size()), value);
  }

  // The samples of one histogram of family `name`: name_bucket with an `le`
  // label per bound and "+Inf", name_sum and name_count. Bounds and sum are
  // divided by `divisor` (1e6 exposes microseconds as seconds; dividing
  // keeps 25 / 1e6 the double nearest 2.5e-05, which multiplying by 1e-6
  // would not).
  void HistogramSamples(std::string_view name, Labels labels, const Histogram::Snapshot& snapshot,
                        std::span<const std::uint64_t> bounds, double divisor);

  // The page so far; the writer is empty afterwards.
  std::string Take();

 private:
  void AppendSample(std::string_view name, std::span<const Label> labels);

  std::string text_;
};

}  // namespace spinlog::observability
