// One connection to Redis through hiredis's asynchronous API, driven by our reactor: hiredis
// says which direction it waits for through its event hooks, the reactor watches the socket
// level-triggered and hands readiness back. Connects without blocking (addresses only, never
// a DNS lookup), is ready once Redis has answered a PING (a stopped Redis still completes
// TCP handshakes), and reconnects on its own with capped backoff. Everything runs on the loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "cluster/redis_address.hpp"
#include "reactor/reactor.hpp"

struct redisAsyncContext;
struct redisReply;

namespace chatroom {

// Says "cannot reach Redis" once per outage, however many connections (a bus has two) keep
// failing and retrying, and "reachable again" once when one gets through.
class RedisOutageLog {
 public:
  // True the first time in an outage: the caller logs it; later failures go to debug.
  bool first_failure() { return !std::exchange(in_outage_, true); }
  // True if an outage was logged and is over now.
  bool recovered() { return std::exchange(in_outage_, false); }

 private:
  bool in_outage_ = false;
};

struct RedisConnectionSettings {
  RedisAddress address;
  std::optional<std::string> password;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds first_retry{100};
  // Backoff doubles up to this: short, so the cluster is back soon after Redis is.
  std::chrono::milliseconds max_retry{1000};
};

class RedisConnection final : private IoHandler {
 public:
  // Gets the reply, or nullptr when the connection ended before it came.
  using ReplyHandler = std::function<void(const redisReply*)>;

  // `outages` is shared by the connections of one bus and must outlive them.
  RedisConnection(Reactor& reactor, RedisConnectionSettings settings, std::string role, RedisOutageLog& outages);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // `on_ready`: Redis answers, first time or again. `on_lost`: a ready connection ended.
  void start(std::function<void()> on_ready, std::function<void()> on_lost);
  [[nodiscard]] bool ready() const { return ready_; }

  // Queues a command (false, and nothing sent, if not ready). No handler: the reply is read and
  // dropped.
  bool command(std::span<const std::string_view> arguments, ReplyHandler handler = {});
  // Queues SUBSCRIBE or UNSUBSCRIBE; every message on the channels goes to the push handler.
  bool subscription_command(std::span<const std::string_view> arguments);
  void set_push_handler(std::function<void(const redisReply*)> handler) { push_handler_ = std::move(handler); }

  // Writes what hiredis has queued, if anything, as far as the socket takes it now.
  void write_pending();
  // Bytes hiredis holds that the socket has not taken yet: grows while Redis is stalled.
  [[nodiscard]] std::size_t queued_bytes() const;
  [[nodiscard]] std::uint64_t connects() const { return connects_; }

 private:
  struct PendingReply;
  static void on_reply(redisAsyncContext* context, void* reply, void* pending);
  static void on_push(redisAsyncContext* context, void* reply, void* connection);
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  // hiredis's addRead, delRead, addWrite and delWrite hooks: one direction's interest on or off.
  template <bool Interest::*Direction, bool Wanted>
  static void set_interest(void* connection);
  static void cleanup(void* connection);

  void connect();
  void connected(int status);
  void disconnected();
  void handshake();
  // command() before the handshake has made the connection ready.
  bool command_unchecked(std::span<const std::string_view> arguments, ReplyHandler handler);
  void give_up_connecting();
  void retry_later(std::string_view why);
  void update_interest();
  void handle_io(IoEvents events) override;

  Reactor& reactor_;
  RedisConnectionSettings settings_;
  std::string role_;  // "commands" or "subscriptions", for the logs
  std::function<void()> on_ready_;
  std::function<void()> on_lost_;
  std::function<void(const redisReply*)> push_handler_;
  redisAsyncContext* context_ = nullptr;
  std::optional<WatchId> watch_;
  Interest interest_;
  std::optional<TimerId> timer_;  // the connect timeout, or the next attempt
  std::chrono::milliseconds retry_delay_;
  bool ready_ = false;
  bool closing_ = false;
  RedisOutageLog& outages_;
  std::uint64_t connects_ = 0;
};

}  // namespace chatroom
