// The Prometheus text exposition format: HELP, TYPE and escaped label values.
#include "http/prometheus_text.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

TEST(PrometheusText, FamiliesHaveHelpAndTypeAndLabelValuesAreEscaped) {
  PrometheusText out;
  out.counter("x_total", "Things.", 3);
  out.gauge("y_seconds", "Time.", 0.25);
  out.labelled_counter("z_total", "By cause.", "cause", {{"a\"b\\c\nd", 1}});
  EXPECT_EQ(out.text(),
            "# HELP x_total Things.\n# TYPE x_total counter\nx_total 3\n"
            "# HELP y_seconds Time.\n# TYPE y_seconds gauge\ny_seconds 0.25\n"
            "# HELP z_total By cause.\n# TYPE z_total counter\nz_total{cause=\"a\\\"b\\\\c\\nd\"} 1\n");
}

}  // namespace
}  // namespace chatroom
