// chatroom-bench: parses options and runs one fan-out load against chatroomd or Redis.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "loadgen/idle_cost.hpp"
#include "loadgen/load_run.hpp"
#include "loadgen/report.hpp"

int main(int argc, char** argv) {
  using chatroom::bench::LoadConfig;
  LoadConfig config;
  std::string target = "127.0.0.1:7000";
  bool json = false;
  bool quiet = false;
  double idle_seconds = 0;
  std::vector<int> server_pids;
  std::vector<std::string> receiver_targets;
  std::string proto;
  std::string model = "foreign";

  CLI::App app{"chatroom-bench: broadcast fan-out load against chatroomd (or Redis pub/sub). K senders broadcast, "
               "N receivers record every delivery's latency, loss and order."};
  app.set_version_flag("--version", std::string(CHATROOM_VERSION));
  auto* target_option =
      app.add_option("--target", target,
                     "HOST:PORT of chatroomd, ws://HOST:PORT for its WebSocket (the --http-port), irc://HOST:PORT "
                     "for an IRC server (chatroomd's --irc-port, ngIRCd, InspIRCd), or redis://HOST:PORT for Redis "
                     "pub/sub")
          ->capture_default_str();
  app.add_option("--proto", proto,
                 "How to talk to --target and --targets: chat (lines over TCP), ws (lines as WebSocket frames, on "
                 "chatroomd's --http-port), irc (every client registers and joins #bench; senders PRIVMSG it) or "
                 "redis; default: from the target's scheme, else chat")
      ->check(CLI::IsMember({"chat", "ws", "irc", "redis"}));
  app.add_option("-c,--clients", config.receivers, "Receiving clients")->check(CLI::Range(1, 1'000'000))->capture_default_str();
  app.add_option("-s,--senders", config.senders, "Sending clients")->check(CLI::Range(1, 10'000))->capture_default_str();
  app.add_option("-r,--rate", config.rate, "Broadcasts per second over all senders (open loop); 0: closed loop")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("-w,--window", config.window, "Closed loop: broadcasts each sender keeps in flight")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  auto* messages = app.add_option("-m,--messages", config.messages, "Measured broadcasts over all senders")
                       ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
                       ->capture_default_str();
  app.add_option("-d,--duration", config.duration_s, "Run for this many seconds instead of a message count")
      ->check(CLI::Range(0.001, 86400.0))
      ->excludes(messages);
  app.add_option("--size", config.payload_bytes, "Payload bytes per broadcast (at least 48)")
      ->check(CLI::Range(std::size_t{48}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--warmup", config.warmup, "Broadcasts sent before measuring starts")->capture_default_str();
  app.add_option("-t,--threads", config.threads, "Receiving threads, one epoll loop each")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--client-model", model,
                 "foreign: clients behave as separate programs would (the senders on a thread of their own, "
                 "each receiver reading 16 KiB once per readiness, as hiredis does); lean: senders and receivers "
                 "share one loop and receivers read until EAGAIN, which leaves the server a whole core")
      ->check(CLI::IsMember({"foreign", "lean"}))
      ->capture_default_str();
  app.add_option("--read-bytes", config.read_bytes,
                 "Bytes a receiver reads at once (default: 16 KiB foreign, 256 KiB lean)")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 24));
  app.add_option("--flooders", config.flooders,
                 "Extra clients sending unmeasured lines flat out for the whole run (start chatroomd with "
                 "--rate-limit 0 to measure what a flooder costs the others without flood control)")
      ->check(CLI::Range(0, 10'000))
      ->capture_default_str();
  app.add_option("--server-pid", server_pids,
                 "Measure this process's CPU time (the server's) per delivery; repeat it for the nodes of a "
                 "cluster (and Redis): the CPU of all of them is added up, and each is shown")
      ->check(CLI::PositiveNumber);
  app.add_option("--targets", receiver_targets,
                 "Spread the receivers over these HOST:PORT (nodes of a cluster), each reported on its own; the "
                 "senders stay on --target (default: the first of these)")
      ->delimiter(',');
  app.add_option("--connect-batch", config.connect_batch, "Connections opened at once during set-up")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  app.add_option("--stall-timeout", config.stall_timeout_s, "Seconds without a delivery before giving up")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--idle", idle_seconds,
                 "Only connect --clients idle clients, hold them this many seconds and report the server's "
                 "resident memory per client (needs --server-pid)")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_flag("--tls", config.tls,
               "Connect every client with TLS (chatroomd's --tls-port, Redis's --tls-port); certificates are not "
               "verified");
  app.add_flag("--json", json, "Print one JSON object instead of the table");
  app.add_flag("-q,--quiet", quiet, "No progress line on stderr");
  CLI11_PARSE(app, argc, argv);

  if (config.duration_s > 0) config.messages = 0;
  config.model = model == "lean" ? chatroom::bench::ClientModel::Lean : chatroom::bench::ClientModel::Foreign;
  config.server_pids = server_pids;
  config.progress = !quiet;
  try {
    for (const std::string& text : receiver_targets) {
      config.receiver_targets.push_back(chatroom::bench::Target::parse(text));
    }
    if (!config.receiver_targets.empty() && target_option->count() == 0) target = receiver_targets.front();
    config.target = chatroom::bench::Target::parse(target);
    if (!proto.empty()) {
      using Kind = chatroom::bench::Target::Kind;
      Kind kind = Kind::Chat;
      if (proto == "ws") kind = Kind::WebSocket;
      if (proto == "irc") kind = Kind::Irc;
      if (proto == "redis") kind = Kind::Redis;
      const auto apply = [&](chatroom::bench::Target& each) {
        if (each.kind != kind && each.kind != Kind::Chat) {
          throw std::invalid_argument("--proto " + proto + " does not match the target " + each.to_string());
        }
        each.kind = kind;
      };
      apply(config.target);
      for (chatroom::bench::Target& each : config.receiver_targets) apply(each);
    }
    if (config.tls && config.target.kind == chatroom::bench::Target::Kind::WebSocket) {
      throw std::invalid_argument("--tls with --proto ws: chatroomd's HTTP listener speaks no TLS (put a TLS proxy "
                                  "in front of it)");
    }
    if (idle_seconds > 0) {
      const chatroom::bench::IdleCost cost = chatroom::bench::measure_idle_cost(config, idle_seconds);
      if (json) {
        std::printf("{\"target\":\"%s\",\"idle_clients\":%d,\"rss_before_kib\":%ld,\"rss_after_kib\":%ld,"
                    "\"bytes_per_client\":%.0f}\n",
                    config.target.to_string().c_str(), cost.clients, cost.rss_before_kib, cost.rss_after_kib,
                    cost.bytes_per_client());
      } else {
        std::printf("%s: %d idle clients: server RSS %ld KiB -> %ld KiB = %.0f bytes per client\n",
                    config.target.to_string().c_str(), cost.clients, cost.rss_before_kib, cost.rss_after_kib,
                    cost.bytes_per_client());
      }
      return 0;
    }
    const chatroom::bench::LoadResult result = chatroom::bench::run_load(config);
    const std::string report = json ? format_json(config, result) : format_table(config, result);
    std::fputs(report.c_str(), stdout);
    if (!result.error.empty()) return 3;
    return result.clean() ? 0 : 4;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "chatroom-bench: %s\n", error.what());
    return 2;
  }
}
