// Prometheus's text exposition format (version 0.0.4): a HELP and a TYPE line per metric
// family, then its samples, label values escaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatroom {

class PrometheusText {
 public:
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  void counter(std::string_view name, std::string_view help, double value);
  void gauge(std::string_view name, std::string_view help, double value);
  // One family with a sample per label value: {"server_full", 3}, {"per_ip", 0} ...
  void labelled_counter(std::string_view name, std::string_view help, std::string_view label,
                        const std::vector<std::pair<std::string, double>>& samples);

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  void family(std::string_view name, std::string_view help, std::string_view type);
  void sample(std::string_view name, double value);

  std::string text_;
};

}  // namespace chatroom
