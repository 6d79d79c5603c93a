// fanout-crosscheck: a second opinion on chatroom-bench's closed-loop figures, written apart
// from it on purpose (it shares no code with bench/loadgen or lib/), the way someone outside
// the project would write a fan-out load: N subscribers read on one thread, level-triggered,
// one read of --read-bytes per readiness, counting messages; one publisher thread keeps
// --window messages beyond the slowest subscriber, which it learns by looking at their counts
// (every --poll-us microseconds, or spinning with --poll-us 0). It reports deliveries per
// second, its own CPU per delivery and, with --server-pid, the server's. bench/compare.sh --crosscheck
// runs it beside chatroom-bench; docs/performance.md says why their figures differ.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  bool redis = false;
  std::string host = "127.0.0.1";
  int port = 0;
  int clients = 1000;
  long messages = 15000;
  int window = 64;
  std::size_t read_bytes = 16384;
  int poll_us = 20;
  int server_pid = 0;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "fanout-crosscheck: %s\n"
               "usage: fanout-crosscheck --target chat|redis --port PORT [--host IP] [--clients N] [--messages M]\n"
               "                         [--window W] [--read-bytes B] [--poll-us U] [--server-pid PID]\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + name).c_str());
    const std::string value = argv[++i];
    try {
      if (name == "--target") {
        if (value != "chat" && value != "redis") usage("--target is chat or redis");
        options.redis = value == "redis";
      } else if (name == "--host") {
        options.host = value;
      } else if (name == "--port") {
        options.port = std::stoi(value);
      } else if (name == "--clients") {
        options.clients = std::stoi(value);
      } else if (name == "--messages") {
        options.messages = std::stol(value);
      } else if (name == "--window") {
        options.window = std::stoi(value);
      } else if (name == "--read-bytes") {
        options.read_bytes = std::stoul(value);
      } else if (name == "--poll-us") {
        options.poll_us = std::stoi(value);
      } else if (name == "--server-pid") {
        options.server_pid = std::stoi(value);
      } else {
        usage(("unknown option " + name).c_str());
      }
    } catch (const std::logic_error&) {
      usage(("not a number: " + value).c_str());
    }
  }
  if (options.port <= 0 || options.port > 65535) usage("--port is required");
  if (options.clients < 1 || options.messages < 1 || options.window < 1 || options.read_bytes < 64 ||
      options.poll_us < 0) {
    usage("--clients, --messages and --window must be positive, --read-bytes at least 64");
  }
  return options;
}

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// utime + stime of a process, in seconds, from /proc (clock ticks of 10 ms).
double process_cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return 0;
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string skipped;
  for (int i = 0; i < 11; ++i) fields >> skipped;
  long user = 0;
  long system = 0;
  fields >> user >> system;
  return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// This process's own user and system time, in seconds: what the generator costs.
double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int connect_to(const Options& options) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(options.port));
  if (fd < 0 || ::inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    std::fprintf(stderr, "fanout-crosscheck: cannot connect to %s:%d: %s\n", options.host.c_str(), options.port,
                 std::strerror(errno));
    std::exit(1);
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

void write_all(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
      std::fprintf(stderr, "fanout-crosscheck: write failed: %s\n", std::strerror(errno));
      std::exit(1);
    }
  }
}

// Reads and drops whatever a non-blocking socket has now (welcomes, join notices, replies).
void drop_available(int fd) {
  char scratch[65536];
  while (::read(fd, scratch, sizeof(scratch)) > 0) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  // chatroomd: every message is one line. Redis: a pushed message is 7 lines of RESP
  // (*3, $7, message, $2, ch, $64, the payload), and the payload holds no newline.
  const long newlines_per_message = options.redis ? 7 : 1;
  const std::string payload(64, 'x');
  const std::string publish = options.redis ? "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$64\r\n" + payload + "\r\n"
                                            : payload + "\n";

  std::vector<int> subscribers;
  for (int i = 0; i < options.clients; ++i) {
    subscribers.push_back(connect_to(options));
    if (options.redis) write_all(subscribers.back(), "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n");
  }
  const int publisher = connect_to(options);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the welcomes and joins arrive
  for (const int fd : subscribers) {
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    drop_available(fd);
  }
  ::fcntl(publisher, F_SETFL, O_NONBLOCK);
  drop_available(publisher);

  std::vector<std::atomic<long>> received(subscribers.size());
  for (auto& count : received) count = 0;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = i;
      ::epoll_ctl(epoll, EPOLL_CTL_ADD, subscribers[i], &event);
    }
    std::vector<char> buffer(options.read_bytes);
    std::vector<long> newlines(subscribers.size(), 0);
    epoll_event events[512];
    while (!stop.load(std::memory_order_relaxed)) {
      const int ready = ::epoll_wait(epoll, events, 512, 100);
      for (int e = 0; e < ready; ++e) {
        const std::size_t i = events[e].data.u64;
        const ssize_t n = ::read(subscribers[i], buffer.data(), buffer.size());
        if (n <= 0) continue;
        newlines[i] += std::count(buffer.data(), buffer.data() + n, '\n');
        received[i].store(newlines[i] / newlines_per_message, std::memory_order_relaxed);
      }
    }
    ::close(epoll);
  });

  const long warmup = std::max(1L, options.messages / 10);
  const long total = warmup + options.messages;
  const auto slowest = [&] {
    long least = LONG_MAX;
    for (const auto& count : received) least = std::min(least, count.load(std::memory_order_relaxed));
    return least;
  };
  long sent = 0;
  long long started_ns = 0;
  double server_cpu_at_start = 0;
  double own_cpu_at_start = 0;
  std::string batch;
  char replies[65536];
  for (;;) {
    const long done = slowest();
    if (done >= total) break;
    if (started_ns == 0 && done >= warmup) {  // the warm-up is through: measure from here
      started_ns = now_ns();
      if (options.server_pid > 0) server_cpu_at_start = process_cpu_seconds(options.server_pid);
      own_cpu_at_start = own_cpu_seconds();
    }
    const long limit = std::min(done + options.window, started_ns == 0 ? warmup : total);
    batch.clear();
    for (; sent < limit; ++sent) batch += publish;
    if (!batch.empty()) write_all(publisher, batch);
    if (options.redis) {
      while (::read(publisher, replies, sizeof(replies)) > 0) {
      }
    }
    if (options.poll_us > 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(options.poll_us));
    } else {
      std::this_thread::yield();
    }
  }
  const long long elapsed_ns = now_ns() - started_ns;
  const double server_cpu = options.server_pid > 0 ? process_cpu_seconds(options.server_pid) - server_cpu_at_start : 0;
  const double own_cpu = own_cpu_seconds() - own_cpu_at_start;
  stop = true;
  reader.join();
  const double deliveries = static_cast<double>(options.messages) * static_cast<double>(options.clients);
  std::printf("{\"deliveries_per_s\":%.0f,\"server_cpu_ns_per_delivery\":%.1f,\"generator_cpu_ns_per_delivery\":%.1f}\n",
              deliveries / (static_cast<double>(elapsed_ns) / 1e9), server_cpu * 1e9 / deliveries,
              own_cpu * 1e9 / deliveries);
  for (const int fd : subscribers) ::close(fd);
  ::close(publisher);
  return 0;
}
