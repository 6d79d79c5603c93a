// The load run: connection set-up in batches, then one epoll loop per receiving thread, and
// the senders on a thread of their own (ClientModel::Foreign) or in thread 0's loop (Lean).
// Per delivery the receiving side only parses a few numbers and updates counters in arrays
// sized up front.
#include "loadgen/load_run.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "loadgen/connector.hpp"
#include "loadgen/flood_sender.hpp"
#include "loadgen/mono_clock.hpp"
#include "loadgen/process_stats.hpp"
#include "loadgen/payload.hpp"
#include "loadgen/peer_io.hpp"
#include "loadgen/wire.hpp"
#include "net/unique_fd.hpp"

namespace chatroom::bench {
namespace {

constexpr std::size_t kForeignReadBytes = std::size_t{16} << 10;  // hiredis's read size
constexpr std::size_t kLeanReadBytes = std::size_t{256} << 10;
constexpr int kEventsPerWait = 512;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// The closed loop's window: how many receivers have each in-flight broadcast of one sender.
struct SenderWindow {
  explicit SenderWindow(int window) : acks(static_cast<std::size_t>(window)) {}
  std::vector<std::atomic<std::uint32_t>> acks;
  std::atomic<std::uint64_t> complete{0};  // every broadcast below this reached every receiver
};

// State shared by the worker threads.
struct Shared {
  const LoadConfig& config;
  const Wire& wire;
  int senders = 1;
  bool closed_loop = false;
  std::vector<std::unique_ptr<SenderWindow>> windows;
  UniqueFd wake_fd{::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> deliveries_all{0};
  std::mutex error_mutex;
  std::string error;

  Shared(const LoadConfig& load, const Wire& protocol) : config(load), wire(protocol) {}

  void fail(const std::string& why) {
    const std::lock_guard lock(error_mutex);
    if (error.empty()) error = why;
    stop = true;
  }

  // Called once per delivery in closed loop; wakes the sending thread when a broadcast has
  // reached every receiver.
  void acknowledge(std::uint32_t sender, std::uint64_t sequence) {
    SenderWindow& window = *windows[sender];
    std::atomic<std::uint32_t>& slot = window.acks[sequence % window.acks.size()];
    if (slot.fetch_add(1, std::memory_order_acq_rel) + 1 == static_cast<std::uint32_t>(config.receivers)) {
      slot.store(0, std::memory_order_relaxed);
      std::uint64_t complete = window.complete.load(std::memory_order_relaxed);
      while (complete < sequence + 1 && !window.complete.compare_exchange_weak(complete, sequence + 1)) {
      }
      const std::uint64_t one = 1;
      [[maybe_unused]] const ssize_t ignored = ::write(wake_fd.get(), &one, sizeof(one));
    }
  }
};

std::size_t read_bytes_of(const LoadConfig& config) {
  if (config.read_bytes > 0) return config.read_bytes;
  return config.model == ClientModel::Foreign ? kForeignReadBytes : kLeanReadBytes;
}

// How a peer's socket is watched: senders always edge-triggered (they track writability);
// receivers as the client model says.
enum class Readiness { Edge, Level };

class Worker final : private WireEvents {
 public:
  Worker(Shared& shared, std::vector<std::unique_ptr<Peer>> receivers, int receiver_base)
      : shared_(shared),
        receivers_(std::move(receivers)),
        receiver_base_(receiver_base),
        epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
        receivers_read_once_(shared.config.model == ClientModel::Foreign),
        scratch_(read_bytes_of(shared.config)),
        next_expected_(receivers_.size() * static_cast<std::size_t>(shared.senders)),
        received_(next_expected_.size()),
        last_receiver_ns_(static_cast<std::size_t>(shared.senders)) {
    if (shared.config.receiver_targets.size() > 1) {
      latency_by_target.resize(shared.config.receiver_targets.size());
      deliveries_by_target.resize(shared.config.receiver_targets.size());
    }
    const Readiness readiness = receivers_read_once_ ? Readiness::Level : Readiness::Edge;
    for (std::size_t i = 0; i < receivers_.size(); ++i) watch(*receivers_[i], i, readiness);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void watch(Peer& peer, std::uint64_t token, Readiness readiness) {
    epoll_event event{};
    // Level-triggered output readiness would wake the loop all the time; such a receiver
    // writes (pongs) only after it has read.
    event.events = readiness == Readiness::Edge ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET : EPOLLIN | EPOLLRDHUP;
    event.data.u64 = token;
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, peer.fd.get(), &event);
  }

  void watch_extra(int fd, std::uint64_t token) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = token;
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &event);
  }

  // Waits once and handles what is ready; returns tokens it does not own (the sender's).
  template <typename OtherHandler>
  void poll_once(int timeout_ms, OtherHandler&& other) {
    epoll_event events[kEventsPerWait];
    const int n = ::epoll_wait(epoll_fd_.get(), events, kEventsPerWait, timeout_ms);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t token = events[i].data.u64;
      if (token < receivers_.size()) {
        if ((events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) drain(*receivers_[token]);
      } else {
        other(token, events[i].events);
      }
    }
  }

  void run_receiving() {
    while (!shared_.stop.load(std::memory_order_relaxed)) poll_once(100, [](std::uint64_t, std::uint32_t) {});
  }

  // Reads what is available from `peer` and handles each message in it: everything, or for a
  // foreign receiver one read (level-triggering announces the rest).
  void drain(Peer& peer) {
    const bool read_once = receivers_read_once_ && !peer.is_sender;
    for (;;) {
      const ssize_t n = peer_read(peer, scratch_.data(), scratch_.size());
      if (n > 0) {
        now_ns_ = now_ns();
        current_ = &peer;
        const std::string_view chunk(scratch_.data(), static_cast<std::size_t>(n));
        if (peer.input.empty()) {
          peer.input.assign(chunk.substr(shared_.wire.parse(chunk, *this)));
        } else {
          peer.input.append(chunk);
          peer.input.erase(0, shared_.wire.parse(peer.input, *this));
        }
        shared_.deliveries_all.fetch_add(batch_deliveries_, std::memory_order_relaxed);
        batch_deliveries_ = 0;
        if (!peer.is_sender && !peer.output.empty()) send_replies(peer);
        if (read_once) return;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (!shared_.stop) {
        shared_.fail(std::string("the server closed ") + (peer.is_sender ? "sender " : "receiver ") +
                     std::to_string(peer.index) + "'s connection" +
                     (n < 0 ? std::string(": ") + std::strerror(errno) : std::string()));
      }
      return;
    }
  }

  // A receiver's answers to the server (pongs): a few bytes, written as far as the socket takes
  // them now; the rest waits for the next read.
  static void send_replies(Peer& peer) {
    const ssize_t sent = peer_send(peer, peer.output.data(), peer.output.size());
    if (sent > 0) peer.output.erase(0, static_cast<std::size_t>(sent));
  }

  // Results, read after the thread has finished.
  LatencyHistogram latency;
  std::vector<LatencyHistogram> latency_by_target;  // with several receiver targets
  std::vector<std::uint64_t> deliveries_by_target;
  std::uint64_t measured_deliveries = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
  std::uint64_t flood_deliveries = 0;
  std::int64_t last_measured_delivery_ns = 0;

  [[nodiscard]] std::uint64_t received(std::size_t receiver, int sender) const {
    return received_[receiver * static_cast<std::size_t>(shared_.senders) + static_cast<std::size_t>(sender)];
  }
  [[nodiscard]] std::size_t receiver_count() const { return receivers_.size(); }
  [[nodiscard]] const std::vector<std::vector<std::int64_t>>& last_receiver_ns() const { return last_receiver_ns_; }

 private:
  void on_ready() override {}

  void on_ping(std::string_view payload) override {
    if (!current_->is_sender) shared_.wire.append_pong(current_->output, payload);
  }

  void on_protocol_error(std::string_view what) override {
    shared_.fail("server error: " + std::string(what));
  }

  void on_payload(std::string_view payload) override {
    if (current_->is_sender) return;  // senders hear each other; only receivers measure
    if (!payload.empty() && payload.front() == kFloodPayloadMark) {
      ++flood_deliveries;
      return;
    }
    const std::optional<PayloadStamp> stamp = parse_payload(payload);
    if (!stamp || stamp->sender >= static_cast<std::uint32_t>(shared_.senders)) {
      shared_.fail("unrecognised message: " + std::string(payload.substr(0, 80)));
      return;
    }
    ++batch_deliveries_;
    const std::size_t slot = static_cast<std::size_t>(current_->index - receiver_base_) *
                                 static_cast<std::size_t>(shared_.senders) + stamp->sender;
    std::uint64_t& next = next_expected_[slot];
    if (stamp->sequence < next) {
      ++duplicated;  // or late: either way the server broke ordering
      return;
    }
    if (stamp->sequence > next) ++reordered;
    next = stamp->sequence + 1;
    ++received_[slot];
    if (shared_.closed_loop) shared_.acknowledge(stamp->sender, stamp->sequence);

    const std::uint64_t global = stamp->sequence * static_cast<std::uint64_t>(shared_.senders) + stamp->sender;
    if (global < shared_.config.warmup) return;
    const std::int64_t latency_ns = now_ns_ - stamp->sent_ns;
    latency.record(latency_ns);
    ++measured_deliveries;
    if (!latency_by_target.empty()) {
      latency_by_target[static_cast<std::size_t>(current_->target)].record(latency_ns);
      ++deliveries_by_target[static_cast<std::size_t>(current_->target)];
    }
    last_measured_delivery_ns = now_ns_;
    std::vector<std::int64_t>& last = last_receiver_ns_[stamp->sender];
    if (stamp->sequence >= last.size()) last.resize(std::max<std::size_t>(stamp->sequence + 1, last.size() * 2), -1);
    last[stamp->sequence] = std::max(last[stamp->sequence], latency_ns);
  }

  Shared& shared_;
  std::vector<std::unique_ptr<Peer>> receivers_;
  int receiver_base_;
  UniqueFd epoll_fd_;
  bool receivers_read_once_;
  std::vector<char> scratch_;
  std::vector<std::uint64_t> next_expected_;  // [receiver][sender]
  std::vector<std::uint64_t> received_;       // [receiver][sender]
  std::vector<std::vector<std::int64_t>> last_receiver_ns_;  // [sender][sequence]
  Peer* current_ = nullptr;
  std::int64_t now_ns_ = 0;
  std::uint64_t batch_deliveries_ = 0;
};

// Sends broadcasts from thread 0: on a schedule (open loop) or as the window allows (closed).
class SendDriver {
 public:
  SendDriver(Shared& shared, std::vector<std::unique_ptr<Peer>> senders, Worker& worker)
      : shared_(shared),
        config_(shared.config),
        senders_(std::move(senders)),
        worker_(worker),
        next_sequence_(senders_.size(), 0),
        timer_fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
    for (std::size_t i = 0; i < senders_.size(); ++i) {
      worker_.watch(*senders_[i], kSenderTokenBase + i, Readiness::Edge);
    }
    worker_.watch_extra(timer_fd_.get(), kTimerToken);
    worker_.watch_extra(shared_.wake_fd.get(), kWakeToken);
    if (config_.rate > 0) {
      total_ = config_.warmup + (config_.duration_s > 0
                                     ? static_cast<std::uint64_t>(std::llround(config_.rate * config_.duration_s))
                                     : config_.messages);
    } else {
      total_ = config_.duration_s > 0 ? UINT64_MAX : config_.warmup + config_.messages;
    }
  }

  LoadResult run() {
    const std::int64_t started = now_ns();
    schedule_start_ns_ = started + 1'000'000;  // a millisecond to get the first turn going
    std::int64_t last_progress = started;
    std::int64_t last_change = started;
    std::uint64_t last_deliveries = 0;
    while (!shared_.stop) {
      send_what_is_due();
      flush_senders();
      worker_.poll_once(100, [this](std::uint64_t token, std::uint32_t events) { handle(token, events); });

      const std::int64_t now = now_ns();
      const std::uint64_t deliveries = shared_.deliveries_all.load(std::memory_order_relaxed);
      if (deliveries != last_deliveries) {
        last_deliveries = deliveries;
        last_change = now;
      }
      if (config_.progress && now - last_progress >= kNsPerSecond && now - started >= 2 * kNsPerSecond) {
        print_progress(now - started, deliveries);
        last_progress = now;
      }
      if (sending_done() && deliveries >= sent_ * static_cast<std::uint64_t>(config_.receivers)) break;
      if (now - last_change > static_cast<std::int64_t>(config_.stall_timeout_s * kNsPerSecond)) {
        if (!sending_done()) shared_.fail("stalled: no delivery for " + std::to_string(config_.stall_timeout_s) + " s");
        break;  // the missing deliveries are counted as lost
      }
    }
    if (progress_printed_) std::fputs(isatty(STDERR_FILENO) ? "\r\033[K" : "", stderr);
    shared_.stop = true;

    LoadResult result;
    result.warmup_broadcasts = std::min(sent_, config_.warmup);
    result.broadcasts = sent_ - result.warmup_broadcasts;
    if (!cpu_at_start_.empty()) {
      double total = 0;
      for (std::size_t i = 0; i < config_.server_pids.size(); ++i) {
        const auto cpu = read_process_cpu_seconds(config_.server_pids[i]);
        const double used = cpu && cpu_at_start_[i] ? *cpu - *cpu_at_start_[i] : 0;
        result.server_cpu_each_s.push_back(used);
        total += used;
      }
      result.server_cpu_s = total;
    }
    measure_start_result_ns = measure_start_ns_;
    return result;
  }

  std::int64_t measure_start_result_ns = 0;
  [[nodiscard]] std::uint64_t sent() const { return sent_; }

 private:
  static constexpr std::uint64_t kSenderTokenBase = std::uint64_t{1} << 40;
  static constexpr std::uint64_t kTimerToken = std::uint64_t{1} << 41;
  static constexpr std::uint64_t kWakeToken = (std::uint64_t{1} << 41) + 1;

  [[nodiscard]] bool sending_done() const { return sent_ >= total_ || stopped_sending_; }

  void handle(std::uint64_t token, std::uint32_t events) {
    if (token == kTimerToken) {
      std::uint64_t expirations = 0;
      [[maybe_unused]] const ssize_t ignored = ::read(timer_fd_.get(), &expirations, sizeof(expirations));
    } else if (token == kWakeToken) {
      std::uint64_t count = 0;
      [[maybe_unused]] const ssize_t ignored = ::read(shared_.wake_fd.get(), &count, sizeof(count));
    } else if (token >= kSenderTokenBase) {
      Peer& sender = *senders_[token - kSenderTokenBase];
      if ((events & EPOLLOUT) != 0) sender.writable = true;
      if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) worker_.drain(sender);
    }
  }

  void note_send(std::uint64_t global, std::int64_t stamp_ns) {
    if (global != config_.warmup) return;
    measure_start_ns_ = stamp_ns;
    for (const int pid : config_.server_pids) cpu_at_start_.push_back(read_process_cpu_seconds(pid));
  }

  void enqueue(std::uint64_t global, std::int64_t stamp_ns) {
    const auto sender = static_cast<std::uint32_t>(global % senders_.size());
    const std::uint64_t sequence = global / senders_.size();
    note_send(global, stamp_ns);
    payload_.clear();
    append_payload(payload_, PayloadStamp{sender, sequence, stamp_ns}, config_.payload_bytes);
    shared_.wire.append_publish(senders_[sender]->output, payload_);
    ++sent_;
  }

  void send_what_is_due() {
    if (sending_done()) return;
    const std::int64_t now = now_ns();
    if (config_.duration_s > 0 && config_.rate <= 0 && measure_start_ns_ > 0 &&
        now - measure_start_ns_ >= static_cast<std::int64_t>(config_.duration_s * kNsPerSecond)) {
      stopped_sending_ = true;
      return;
    }
    if (config_.rate > 0) {
      // Open loop: the stamp is the intended send time, so a late sender shows as latency.
      const double interval_ns = 1e9 / config_.rate;
      std::int64_t due = intended(sent_, interval_ns);
      while (sent_ < total_ && due <= now) {
        enqueue(sent_, due);
        due = intended(sent_, interval_ns);
      }
      if (sent_ < total_) arm_timer(due);
      return;
    }
    // Closed loop: each sender stays at most `window` broadcasts ahead of the slowest receiver.
    bool sent_any = true;
    while (sent_any && !sending_done()) {
      sent_any = false;
      const std::size_t sender = sent_ % senders_.size();
      const std::uint64_t complete = shared_.windows[sender]->complete.load(std::memory_order_acquire);
      if (next_sequence_[sender] < complete + static_cast<std::uint64_t>(config_.window)) {
        ++next_sequence_[sender];
        enqueue(sent_, now_ns());
        sent_any = true;
      }
    }
  }

  [[nodiscard]] std::int64_t intended(std::uint64_t global, double interval_ns) const {
    return schedule_start_ns_ + static_cast<std::int64_t>(static_cast<double>(global) * interval_ns);
  }

  void arm_timer(std::int64_t at_ns) {
    itimerspec spec{};
    spec.it_value.tv_sec = at_ns / kNsPerSecond;
    spec.it_value.tv_nsec = at_ns % kNsPerSecond;
    ::timerfd_settime(timer_fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  void flush_senders() {
    for (auto& sender : senders_) {
      while (sender->writable && sender->output_sent < sender->output.size()) {
        const ssize_t n = peer_send(*sender, sender->output.data() + sender->output_sent,
                                    sender->output.size() - sender->output_sent);
        if (n > 0) {
          sender->output_sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          sender->writable = false;
        } else if (n < 0 && errno != EINTR) {
          shared_.fail(std::string("sending failed: ") + std::strerror(errno));
          return;
        }
      }
      if (sender->output_sent == sender->output.size()) {
        sender->output.clear();
        sender->output_sent = 0;
      }
    }
  }

  void print_progress(std::int64_t elapsed_ns, std::uint64_t deliveries) {
    const double seconds = static_cast<double>(elapsed_ns) / 1e9;
    const double rate = static_cast<double>(deliveries - progress_deliveries_) /
                        (static_cast<double>(elapsed_ns - progress_at_ns_) / 1e9);
    progress_deliveries_ = deliveries;
    progress_at_ns_ = elapsed_ns;
    const bool tty = isatty(STDERR_FILENO) != 0;
    std::fprintf(stderr, "%s[%6.1f s] %llu broadcasts sent, %llu deliveries (%.0f/s)%s", tty ? "\r\033[K" : "",
                 seconds, static_cast<unsigned long long>(sent_), static_cast<unsigned long long>(deliveries), rate,
                 tty ? "" : "\n");
    std::fflush(stderr);
    progress_printed_ = true;
  }

  Shared& shared_;
  const LoadConfig& config_;
  std::vector<std::unique_ptr<Peer>> senders_;
  Worker& worker_;
  std::vector<std::uint64_t> next_sequence_;
  UniqueFd timer_fd_;
  std::uint64_t total_ = 0;
  std::uint64_t sent_ = 0;
  bool stopped_sending_ = false;
  std::int64_t schedule_start_ns_ = 0;
  std::int64_t measure_start_ns_ = 0;
  std::vector<std::optional<double>> cpu_at_start_;  // per server pid
  std::string payload_;
  bool progress_printed_ = false;
  std::uint64_t progress_deliveries_ = 0;
  std::int64_t progress_at_ns_ = 0;
};

void validate(const LoadConfig& config) {
  if (config.receivers < 1) throw std::invalid_argument("--clients must be at least 1");
  if (config.senders < 1) throw std::invalid_argument("--senders must be at least 1");
  if (config.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (config.rate <= 0 && config.window < 1) throw std::invalid_argument("--window must be at least 1");
  if (config.messages == 0 && config.duration_s <= 0) throw std::invalid_argument("give --messages or --duration");
  if (config.connect_batch < 1) throw std::invalid_argument("--connect-batch must be at least 1");
  if (config.flooders < 0) throw std::invalid_argument("--flooders must not be negative");
}

}  // namespace

LoadResult run_load(const LoadConfig& config) {
  validate(config);
  const std::unique_ptr<Wire> wire = make_wire(config.target);
  raise_descriptor_limit(static_cast<std::size_t>(config.receivers + config.senders + config.flooders) + 64);

  Shared shared(config, *wire);
  shared.senders = config.senders;
  shared.closed_loop = config.rate <= 0;
  for (int i = 0; i < config.senders; ++i) shared.windows.push_back(std::make_unique<SenderWindow>(config.window));

  const auto server_cpu_now = [&config]() -> std::optional<double> {
    if (config.server_pids.empty()) return std::nullopt;
    double total = 0;
    for (const int pid : config.server_pids) {
      const std::optional<double> cpu = read_process_cpu_seconds(pid);
      if (!cpu) return std::nullopt;
      total += *cpu;
    }
    return total;
  };
  const std::optional<double> cpu_before_setup = server_cpu_now();
  const std::int64_t setup_started_ns = now_ns();

  // Receivers spread over their targets in turn: receiver i is on target i % targets.
  std::vector<std::unique_ptr<Peer>> receivers;
  if (config.receiver_targets.empty()) {
    receivers = connect_peers(config, *wire, config.target, config.receivers, 0, PeerRole::Receiver);
  } else {
    const int targets = static_cast<int>(config.receiver_targets.size());
    std::vector<std::vector<std::unique_ptr<Peer>>> by_target;
    int first = 0;
    for (int t = 0; t < targets; ++t) {
      const int count = config.receivers / targets + (t < config.receivers % targets ? 1 : 0);
      by_target.push_back(connect_peers(config, *wire, config.receiver_targets[static_cast<std::size_t>(t)], count,
                                        first, PeerRole::Receiver));
      first += count;
    }
    for (int i = 0; i < config.receivers; ++i) {
      std::unique_ptr<Peer>& peer = by_target[static_cast<std::size_t>(i % targets)][static_cast<std::size_t>(i / targets)];
      peer->index = i;
      peer->target = i % targets;
      receivers.push_back(std::move(peer));
    }
  }
  std::vector<std::unique_ptr<Peer>> senders =
      connect_peers(config, *wire, config.target, config.senders, 0, PeerRole::Sender);
  std::vector<std::unique_ptr<Peer>> flooders =
      connect_peers(config, *wire, config.target, config.flooders, 0, PeerRole::Flooder);
  const double setup_elapsed_s = static_cast<double>(now_ns() - setup_started_ns) / 1e9;
  const std::optional<double> cpu_after_setup = server_cpu_now();

  // Receivers are split into contiguous ranges, one per thread.
  const int threads = std::min(config.threads, config.receivers);
  std::vector<std::unique_ptr<Worker>> workers;
  int base = 0;
  for (int t = 0; t < threads; ++t) {
    const int count = config.receivers / threads + (t < config.receivers % threads ? 1 : 0);
    std::vector<std::unique_ptr<Peer>> share;
    for (int i = base; i < base + count; ++i) share.push_back(std::move(receivers[static_cast<std::size_t>(i)]));
    workers.push_back(std::make_unique<Worker>(shared, std::move(share), base));
    base += count;
  }
  // A foreign sender's loop receives nothing: it sleeps until the window opens or a send is due.
  const bool sender_alone = config.model == ClientModel::Foreign;
  std::unique_ptr<Worker> sender_loop;
  if (sender_alone) sender_loop = std::make_unique<Worker>(shared, std::vector<std::unique_ptr<Peer>>{}, 0);
  SendDriver driver(shared, std::move(senders), sender_alone ? *sender_loop : *workers[0]);
  std::vector<std::thread> helpers;
  for (std::size_t t = sender_alone ? 0 : 1; t < workers.size(); ++t) {
    helpers.emplace_back([&worker = *workers[t]] { worker.run_receiving(); });
  }
  std::optional<FloodSender> flood;
  if (!flooders.empty()) flood.emplace(std::move(flooders), *wire, config.payload_bytes);
  LoadResult result = driver.run();
  result.setup_connections = static_cast<std::uint64_t>(config.receivers + config.senders + config.flooders);
  result.setup_elapsed_s = setup_elapsed_s;
  if (cpu_before_setup && cpu_after_setup) result.setup_server_cpu_s = *cpu_after_setup - *cpu_before_setup;
  if (flood) {
    flood->stop();
    result.flood_lines_sent = flood->lines_sent();
    result.flooders_disconnected = flood->disconnected();
  }
  for (std::thread& helper : helpers) helper.join();

  std::int64_t last_delivery_ns = 0;
  std::vector<std::int64_t> last_receiver;
  for (int sender = 0; sender < config.senders; ++sender) {
    last_receiver.clear();
    for (const auto& worker : workers) {
      const auto& mine = worker->last_receiver_ns()[static_cast<std::size_t>(sender)];
      if (mine.size() > last_receiver.size()) last_receiver.resize(mine.size(), -1);
      for (std::size_t i = 0; i < mine.size(); ++i) last_receiver[i] = std::max(last_receiver[i], mine[i]);
    }
    for (const std::int64_t latency : last_receiver) {
      if (latency >= 0) result.last_receiver_latency.record(latency);
    }
  }
  const std::uint64_t sent = driver.sent();
  for (const auto& worker : workers) {
    result.delivery_latency.merge(worker->latency);
    if (!worker->latency_by_target.empty()) {
      result.latency_by_target.resize(worker->latency_by_target.size());
      result.deliveries_by_target.resize(worker->latency_by_target.size());
      for (std::size_t t = 0; t < worker->latency_by_target.size(); ++t) {
        result.latency_by_target[t].merge(worker->latency_by_target[t]);
        result.deliveries_by_target[t] += worker->deliveries_by_target[t];
      }
    }
    result.deliveries += worker->measured_deliveries;
    result.duplicated += worker->duplicated;
    result.reordered += worker->reordered;
    result.flood_deliveries += worker->flood_deliveries;
    last_delivery_ns = std::max(last_delivery_ns, worker->last_measured_delivery_ns);
    for (std::size_t r = 0; r < worker->receiver_count(); ++r) {
      for (int s = 0; s < config.senders; ++s) {
        const auto senders_count = static_cast<std::uint64_t>(config.senders);
        const std::uint64_t expected = (sent + senders_count - 1 - static_cast<std::uint64_t>(s)) / senders_count;
        const std::uint64_t got = worker->received(r, s);
        if (got < expected) result.lost += expected - got;
      }
    }
  }
  if (driver.measure_start_result_ns > 0 && last_delivery_ns > driver.measure_start_result_ns) {
    result.elapsed_s = static_cast<double>(last_delivery_ns - driver.measure_start_result_ns) / 1e9;
  }
  result.error = shared.error;
  return result;
}

}  // namespace chatroom::bench
