// Writing metric families.
#include "http/prometheus_text.hpp"

#include <cmath>
#include <cstdio>

namespace chatroom {
namespace {

// Integers as integers (counters are), anything else with enough digits to round-trip.
std::string number(double value) {
  char text[32];
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof(text), "%.0f", value);
  } else {
    std::snprintf(text, sizeof(text), "%.9g", value);
  }
  return text;
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view help, std::string_view type) {
  text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::sample(std::string_view name, double value) {
  text_.append(name).append(" ").append(number(value)).append("\n");
}

void PrometheusText::counter(std::string_view name, std::string_view help, double value) {
  family(name, help, "counter");
  sample(name, value);
}

void PrometheusText::gauge(std::string_view name, std::string_view help, double value) {
  family(name, help, "gauge");
  sample(name, value);
}

void PrometheusText::labelled_counter(std::string_view name, std::string_view help, std::string_view label,
                                      const std::vector<std::pair<std::string, double>>& samples) {
  family(name, help, "counter");
  for (const auto& [label_value, value] : samples) {
    text_.append(name).append("{").append(label).append("=\"");
    for (const char c : label_value) {
      if (c == '\\' || c == '"') text_.push_back('\\');
      if (c == '\n') {
        text_.append("\\n");
        continue;
      }
      text_.push_back(c);
    }
    text_.append("\"} ").append(number(value)).append("\n");
  }
}

}  // namespace chatroom
