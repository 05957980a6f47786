#include "observability/prometheus_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace spinlog::observability {
namespace {

TEST(PrometheusText, FamilyThenSamplesWithAndWithoutLabels) {
  PrometheusText page;
  page.Family("spinlog_things_total", PrometheusText::Type::kCounter, "Things seen.");
  page.Sample("spinlog_things_total", {{"kind", "a"}, {"size", "big"}}, std::uint64_t{3});
  page.Family("spinlog_level", PrometheusText::Type::kGauge, "A level.");
  page.Sample("spinlog_level", {}, 0.25);
  EXPECT_EQ(page.Take(),
            "# HELP spinlog_things_total Things seen.\n"
            "# TYPE spinlog_things_total counter\n"
            "spinlog_things_total{kind=\"a\",size=\"big\"} 3\n"
            "# HELP spinlog_level A level.\n"
            "# TYPE spinlog_level gauge\n"
            "spinlog_level 0.25\n");
  EXPECT_EQ(page.Take(), "");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  PrometheusText page;
  page.Family("m", PrometheusText::Type::kGauge, "back\\slash \"quoted\"\nnext line");
  page.Sample("m", {{"route", "/a\\b\"c\"\nd"}}, std::uint64_t{1});
  EXPECT_EQ(page.Take(),
            "# HELP m back\\\\slash \"quoted\"\\nnext line\n"
            "# TYPE m gauge\n"
            "m{route=\"/a\\\\b\\\"c\\\"\\nd\"} 1\n");
}

TEST(PrometheusText, SpecialDoublesUseTheFormatsSpelling) {
  PrometheusText page;
  page.Sample("m", {}, std::numeric_limits<double>::infinity());
  page.Sample("m", {}, -std::numeric_limits<double>::infinity());
  page.Sample("m", {}, std::numeric_limits<double>::quiet_NaN());
  page.Sample("m", {}, 1e-05);
  EXPECT_EQ(page.Take(), "m +Inf\nm -Inf\nm NaN\nm 1e-05\n");
}

TEST(PrometheusText, HistogramSamplesAreCumulativeWithScaledBounds) {
  static constexpr std::uint64_t kBoundsMicros[] = {25, 1000};
  Histogram histogram(kBoundsMicros);
  histogram.Observe(20);
  histogram.Observe(30);
  histogram.Observe(5000);
  PrometheusText page;
  page.HistogramSamples("d_seconds", {{"route", "/x"}}, histogram.Take(), kBoundsMicros, 1e6);
  EXPECT_EQ(page.Take(),
            "d_seconds_bucket{route=\"/x\",le=\"2.5e-05\"} 1\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.001\"} 2\n"
            "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "d_seconds_sum{route=\"/x\"} 0.00505\n"
            "d_seconds_count{route=\"/x\"} 3\n");
}

}  // namespace
}  // namespace spinlog::observability
