#include "observability/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

namespace spinlog::observability {
namespace {

const char* TypeName(PrometheusText::Type type) {
  switch (type) {
    case PrometheusText::Type::kCounter:
      return "counter";
    case PrometheusText::Type::kGauge:
      return "gauge";
    case PrometheusText::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escapes backslash and line feed; label values also the double
// quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += quote ? "\\\"" : "\"";
        break;
      default:
        out += c;
    }
  }
}

void AppendNumber(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, end);
}

// Shortest text that reads back as the same double; the format's own
// spellings for infinities and NaN.
void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, end);
  }
}

}  // namespace

void PrometheusText::Family(std::string_view name, Type type, std::string_view help) {
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  AppendEscaped(text_, help, /*quote=*/false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += TypeName(type);
  text_ += '\n';
}

void PrometheusText::AppendSample(std::string_view name, std::span<const Label> labels) {
  text_ += name;
  if (!labels.empty()) {
    text_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i != 0) text_ += ',';
      text_ += labels[i].name;
      text_ += "=\"";
      AppendEscaped(text_, labels[i].value, /*quote=*/true);
      text_ += '"';
    }
    text_ += '}';
  }
  text_ += ' ';
}

void PrometheusText::Sample(std::string_view name, std::span<const Label> labels,
                            std::uint64_t value) {
  AppendSample(name, labels);
  AppendNumber(text_, value);
  text_ += '\n';
}

void PrometheusText::Sample(std::string_view name, std::span<const Label> labels, double value) {
  AppendSample(name, labels);
  AppendNumber(text_, value);
  text_ += '\n';
}

void PrometheusText::HistogramSamples(std::string_view name, Labels labels,
                                      const Histogram::Snapshot& snapshot,
                                      std::span<const std::uint64_t> bounds, double divisor) {
  std::vector<Label> with_le(labels.begin(), labels.end());
  with_le.push_back({"le", ""});
  const std::string bucket = std::string(name) + "_bucket";
  std::string le;
  for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    le.clear();
    AppendNumber(le, i < bounds.size() ? static_cast<double>(bounds[i]) / divisor : INFINITY);
    with_le.back().value = le;
    Sample(bucket, with_le, snapshot.cumulative[i]);
  }
  const std::span<const Label> plain(labels.begin(), labels.size());
  Sample(std::string(name) + "_sum", plain, static_cast<double>(snapshot.sum) / divisor);
  Sample(std::string(name) + "_count", plain, snapshot.count());
}

std::string PrometheusText::Take() { return std::exchange(text_, std::string()); }

}  // namespace spinlog::observability
