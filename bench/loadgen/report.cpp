// Formatting of results; latencies are shown in the unit that keeps them readable.
#include "loadgen/report.hpp"

#include <cstdio>
#include <sstream>

namespace chatroom::bench {
namespace {

std::string duration_text(std::int64_t ns) {
  char text[32];
  if (ns < 1'000) {
    std::snprintf(text, sizeof(text), "%lld ns", static_cast<long long>(ns));
  } else if (ns < 1'000'000) {
    std::snprintf(text, sizeof(text), "%.1f us", static_cast<double>(ns) / 1e3);
  } else {
    std::snprintf(text, sizeof(text), "%.2f ms", static_cast<double>(ns) / 1e6);
  }
  return text;
}

std::string with_commas(double value) {
  // Built forwards into a new string: inserting into the digits in place trips GCC 12's false
  // -Wrestrict positive at -O3.
  const std::string digits = std::to_string(static_cast<long long>(value + 0.5));
  const std::size_t sign = digits.starts_with('-') ? 1 : 0;
  std::string grouped(digits, 0, sign);
  for (std::size_t i = sign; i < digits.size(); ++i) {
    if (i > sign && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

std::string percentiles(const LatencyHistogram& histogram) {
  std::ostringstream out;
  out << "p50 " << duration_text(histogram.value_at(0.5)) << "   p90 " << duration_text(histogram.value_at(0.9))
      << "   p99 " << duration_text(histogram.value_at(0.99)) << "   p99.9 " << duration_text(histogram.value_at(0.999))
      << "   max " << duration_text(histogram.max());
  return out.str();
}

std::string mode_text(const LoadConfig& config) {
  const std::string clients = config.model == ClientModel::Foreign ? ", foreign clients" : ", lean clients";
  if (config.rate > 0) return "open loop at " + with_commas(config.rate) + " broadcasts/s" + clients;
  return "closed loop, window " + std::to_string(config.window) + clients;
}

void json_histogram(std::ostringstream& out, const char* name, const LatencyHistogram& histogram) {
  out << "\"" << name << "\":{\"count\":" << histogram.count() << ",\"mean\":" << static_cast<long long>(histogram.mean())
      << ",\"p50\":" << histogram.value_at(0.5) << ",\"p90\":" << histogram.value_at(0.9)
      << ",\"p99\":" << histogram.value_at(0.99) << ",\"p999\":" << histogram.value_at(0.999)
      << ",\"max\":" << histogram.max() << "}";
}

}  // namespace

std::string format_table(const LoadConfig& config, const LoadResult& result) {
  std::ostringstream out;
  out << "chatroom-bench: " << config.target.to_string() << ", " << config.receivers << " receivers, " << config.senders
      << (config.senders == 1 ? " sender, " : " senders, ") << mode_text(config) << ", " << config.payload_bytes
      << "-byte payloads\n";
  out << "  broadcasts      " << with_commas(static_cast<double>(result.broadcasts)) << " measured (+"
      << with_commas(static_cast<double>(result.warmup_broadcasts)) << " warm-up)\n";
  char line[160];
  std::snprintf(line, sizeof(line), "  deliveries      %s in %.3f s = %s/s\n",
                with_commas(static_cast<double>(result.deliveries)).c_str(), result.elapsed_s,
                with_commas(result.deliveries_per_second()).c_str());
  out << line;
  if (result.setup_server_cpu_s && result.setup_connections > 0) {
    std::snprintf(line, sizeof(line), "  set-up          %s connections%s in %.3f s, server CPU %.3f s = %.1f us each\n",
                  with_commas(static_cast<double>(result.setup_connections)).c_str(), config.tls ? " (TLS)" : "",
                  result.setup_elapsed_s, *result.setup_server_cpu_s,
                  *result.setup_server_cpu_s * 1e6 / static_cast<double>(result.setup_connections));
    out << line;
  }
  out << "  latency         " << percentiles(result.delivery_latency) << "\n";
  for (std::size_t t = 0; t < result.latency_by_target.size(); ++t) {
    out << "    on " << config.receiver_targets[t].to_string() << ": "
        << with_commas(static_cast<double>(result.deliveries_by_target[t])) << " deliveries, "
        << percentiles(result.latency_by_target[t]) << "\n";
  }
  out << "  last receiver   " << percentiles(result.last_receiver_latency) << "\n";
  out << "  lost " << result.lost << "   duplicated " << result.duplicated << "   reordered " << result.reordered << "\n";
  if (config.flooders > 0) {
    out << "  flood           " << with_commas(static_cast<double>(result.flood_lines_sent)) << " lines sent by "
        << config.flooders << (config.flooders == 1 ? " flooder, " : " flooders, ")
        << with_commas(static_cast<double>(result.flood_deliveries)) << " delivered to the receivers, "
        << result.flooders_disconnected << " flooders disconnected by the server\n";
  }
  if (result.server_cpu_s) {
    const double per_delivery_us =
        result.deliveries > 0 ? *result.server_cpu_s * 1e6 / static_cast<double>(result.deliveries) : 0;
    std::snprintf(line, sizeof(line), "  server CPU      %.2f s = %.3f us per delivery\n", *result.server_cpu_s,
                  per_delivery_us);
    out << line;
    if (result.server_cpu_each_s.size() > 1) {
      out << "    per process  ";
      for (std::size_t i = 0; i < result.server_cpu_each_s.size(); ++i) {
        std::snprintf(line, sizeof(line), "%s%d: %.2f s", i == 0 ? "" : ", ", config.server_pids[i],
                      result.server_cpu_each_s[i]);
        out << line;
      }
      out << "\n";
    }
  }
  if (!result.error.empty()) out << "  error: " << result.error << "\n";
  return out.str();
}

std::string format_json(const LoadConfig& config, const LoadResult& result) {
  std::ostringstream out;
  out << "{\"target\":\"" << config.target.to_string() << "\",\"receivers\":" << config.receivers
      << ",\"senders\":" << config.senders << ",\"rate\":" << config.rate << ",\"window\":" << config.window
      << ",\"client_model\":\"" << (config.model == ClientModel::Foreign ? "foreign" : "lean") << "\""
      << ",\"payload_bytes\":" << config.payload_bytes << ",\"broadcasts\":" << result.broadcasts
      << ",\"warmup_broadcasts\":" << result.warmup_broadcasts << ",\"deliveries\":" << result.deliveries
      << ",\"elapsed_s\":" << result.elapsed_s << ",\"deliveries_per_s\":" << result.deliveries_per_second() << ",";
  json_histogram(out, "latency_ns", result.delivery_latency);
  out << ",";
  json_histogram(out, "last_receiver_latency_ns", result.last_receiver_latency);
  if (!result.latency_by_target.empty()) {
    out << ",\"targets\":[";
    for (std::size_t t = 0; t < result.latency_by_target.size(); ++t) {
      out << (t == 0 ? "" : ",") << "{\"target\":\"" << config.receiver_targets[t].to_string()
          << "\",\"deliveries\":" << result.deliveries_by_target[t] << ",";
      json_histogram(out, "latency_ns", result.latency_by_target[t]);
      out << "}";
    }
    out << "]";
  }
  out << ",\"lost\":" << result.lost << ",\"duplicated\":" << result.duplicated << ",\"reordered\":" << result.reordered;
  if (config.flooders > 0) {
    out << ",\"flooders\":" << config.flooders << ",\"flood_lines_sent\":" << result.flood_lines_sent
        << ",\"flood_deliveries\":" << result.flood_deliveries
        << ",\"flooders_disconnected\":" << result.flooders_disconnected;
  }
  if (result.server_cpu_s) {
    out << ",\"server_cpu_s\":" << *result.server_cpu_s << ",\"server_cpu_ns_per_delivery\":"
        << (result.deliveries > 0 ? *result.server_cpu_s * 1e9 / static_cast<double>(result.deliveries) : 0);
    out << ",\"server_cpu_each_s\":[";
    for (std::size_t i = 0; i < result.server_cpu_each_s.size(); ++i) {
      out << (i == 0 ? "" : ",") << result.server_cpu_each_s[i];
    }
    out << "]";
  }
  out << ",\"tls\":" << (config.tls ? "true" : "false") << ",\"setup_connections\":" << result.setup_connections
      << ",\"setup_elapsed_s\":" << result.setup_elapsed_s;
  if (result.setup_server_cpu_s) out << ",\"setup_server_cpu_s\":" << *result.setup_server_cpu_s;
  out << ",\"error\":\"";
  for (const char c : result.error) {
    if (c == '"' || c == '\\') out << '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out << c;
  }
  out << "\"}\n";
  return out.str();
}

}  // namespace chatroom::bench
