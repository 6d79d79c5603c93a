// hiredis's event hooks on our reactor (hiredis's adapters/ae.h is the model), the handshake,
// and reconnecting. The C library's void* context stays inside this file.
#include "cluster/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/sds.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace chatroom {

struct RedisConnection::PendingReply {
  RedisConnection* owner;
  ReplyHandler handler;
};

namespace {

RedisConnection* owner_of(void* data) { return static_cast<RedisConnection*>(data); }

// hiredis's argv form: every argument with its length, so payloads may hold any byte.
struct Argv {
  explicit Argv(std::span<const std::string_view> arguments) {
    pointers.reserve(arguments.size());
    lengths.reserve(arguments.size());
    for (const std::string_view argument : arguments) {
      pointers.push_back(argument.data());
      lengths.push_back(argument.size());
    }
  }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
};

}  // namespace

RedisConnection::RedisConnection(Reactor& reactor, RedisConnectionSettings settings, std::string role,
                                 RedisOutageLog& outages)
    : reactor_(reactor),
      settings_(std::move(settings)),
      role_(std::move(role)),
      retry_delay_(settings_.first_retry),
      outages_(outages) {}

RedisConnection::~RedisConnection() {
  // Freeing the context calls every pending callback with no reply; none may reach code
  // that is being torn down.
  closing_ = true;
  if (timer_) reactor_.cancel_timer(*timer_);
  if (context_ != nullptr) {
    redisAsyncContext* context = std::exchange(context_, nullptr);
    redisAsyncFree(context);
  }
}

void RedisConnection::start(std::function<void()> on_ready, std::function<void()> on_lost) {
  on_ready_ = std::move(on_ready);
  on_lost_ = std::move(on_lost);
  connect();
}

void RedisConnection::connect() {
  timer_.reset();
  const RedisAddress& address = settings_.address;
  // Non-blocking: hiredis starts the connect and reports it through the write hook. The host
  // is an IP literal, so its getaddrinfo never consults DNS.
  redisAsyncContext* context = address.unix_path.empty()
                                   ? redisAsyncConnect(address.host.c_str(), address.port)
                                   : redisAsyncConnectUnix(address.unix_path.c_str());
  if (context == nullptr) return retry_later("out of memory");
  if (context->err != 0) {
    const std::string error = context->errstr;
    redisAsyncFree(context);
    return retry_later(error);
  }
  context_ = context;
  context->data = this;
  context->ev.data = this;
  context->ev.addRead = &RedisConnection::set_interest<&Interest::read, true>;
  context->ev.delRead = &RedisConnection::set_interest<&Interest::read, false>;
  context->ev.addWrite = &RedisConnection::set_interest<&Interest::write, true>;
  context->ev.delWrite = &RedisConnection::set_interest<&Interest::write, false>;
  context->ev.cleanup = &RedisConnection::cleanup;
  interest_ = {};
  watch_ = reactor_.watch(context->c.fd, WatchMode::LevelTriggered, *this);
  // Set after the hooks: hiredis asks for write interest here to learn when the connect is done.
  redisAsyncSetConnectCallback(context, &RedisConnection::on_connect);
  redisAsyncSetDisconnectCallback(context, &RedisConnection::on_disconnect);
  timer_ = reactor_.run_after(settings_.connect_timeout, [this] {
    timer_.reset();
    give_up_connecting();
  });
}

void RedisConnection::give_up_connecting() {
  if (context_ == nullptr || ready_) return;
  // Not inside a hiredis callback, so the context may be freed here. Its callbacks see
  // context_ gone and do nothing.
  redisAsyncContext* context = std::exchange(context_, nullptr);
  redisAsyncFree(context);
  retry_later("no answer within " + std::to_string(settings_.connect_timeout.count()) + " ms");
}

void RedisConnection::retry_later(std::string_view why) {
  if (closing_) return;
  if (outages_.first_failure()) {
    // Once per outage: the node keeps serving local chat and keeps trying quietly.
    spdlog::warn("cluster: cannot reach Redis at {} ({}): {}; retrying every {} ms at most", settings_.address.to_string(),
                 role_, why, settings_.max_retry.count());
  } else {
    spdlog::debug("cluster: Redis at {} ({}) still unreachable: {}", settings_.address.to_string(), role_, why);
  }
  if (timer_) reactor_.cancel_timer(*timer_);
  timer_ = reactor_.run_after(retry_delay_, [this] { connect(); });
  retry_delay_ = std::min(retry_delay_ * 2, settings_.max_retry);
}

void RedisConnection::on_connect(const redisAsyncContext* context, int status) {
  owner_of(context->data)->connected(status);
}

void RedisConnection::connected(int status) {
  if (status != REDIS_OK) {
    // hiredis frees the context when this returns.
    const std::string error = context_ != nullptr ? context_->errstr : "connect failed";
    context_ = nullptr;
    if (timer_) reactor_.cancel_timer(*timer_);
    timer_.reset();
    return retry_later(error);
  }
  handshake();
}

void RedisConnection::handshake() {
  if (settings_.password) {
    const std::string_view auth[] = {"AUTH", *settings_.password};
    command_unchecked(auth, [this](const redisReply* reply) {
      if (reply != nullptr && reply->type == REDIS_REPLY_ERROR) {
        spdlog::error("cluster: Redis at {} refused the password: {}", settings_.address.to_string(), reply->str);
      }
    });
  }
  if (settings_.address.database != 0) {
    const std::string database = std::to_string(settings_.address.database);
    const std::string_view select[] = {"SELECT", database};
    command_unchecked(select, {});
  }
  const std::string_view ping[] = {"PING"};
  command_unchecked(ping, [this](const redisReply* reply) {
    if (reply == nullptr) return;
    if (reply->type == REDIS_REPLY_ERROR) {
      spdlog::debug("cluster: Redis at {} ({}) answered PING with {}", settings_.address.to_string(), role_,
                    reply->str);
      redisAsyncDisconnect(context_);
      return;
    }
    if (timer_) reactor_.cancel_timer(*timer_);
    timer_.reset();
    ready_ = true;
    ++connects_;
    retry_delay_ = settings_.first_retry;
    if (outages_.recovered()) spdlog::info("cluster: Redis at {} is reachable again", settings_.address.to_string());
    if (on_ready_) on_ready_();
  });
}

void RedisConnection::on_disconnect(const redisAsyncContext* context, int /*status*/) {
  owner_of(context->data)->disconnected();
}

void RedisConnection::disconnected() {
  // hiredis frees the context when this returns.
  context_ = nullptr;
  const bool was_ready = std::exchange(ready_, false);
  if (closing_) return;
  if (was_ready && on_lost_) on_lost_();
  retry_later("connection lost");
}

bool RedisConnection::command(std::span<const std::string_view> arguments, ReplyHandler handler) {
  if (!ready_) return false;
  return command_unchecked(arguments, std::move(handler));
}

bool RedisConnection::command_unchecked(std::span<const std::string_view> arguments, ReplyHandler handler) {
  if (context_ == nullptr) return false;
  Argv argv(arguments);
  if (!handler) {
    return redisAsyncCommandArgv(context_, nullptr, nullptr, static_cast<int>(argv.pointers.size()),
                                 argv.pointers.data(), argv.lengths.data()) == REDIS_OK;
  }
  auto pending = std::make_unique<PendingReply>(PendingReply{this, std::move(handler)});
  if (redisAsyncCommandArgv(context_, &RedisConnection::on_reply, pending.get(), static_cast<int>(argv.pointers.size()),
                            argv.pointers.data(), argv.lengths.data()) != REDIS_OK) {
    return false;
  }
  pending.release();  // on_reply owns it now
  return true;
}

bool RedisConnection::subscription_command(std::span<const std::string_view> arguments) {
  if (!ready_ || context_ == nullptr) return false;
  Argv argv(arguments);
  return redisAsyncCommandArgv(context_, &RedisConnection::on_push, this, static_cast<int>(argv.pointers.size()),
                               argv.pointers.data(), argv.lengths.data()) == REDIS_OK;
}

void RedisConnection::on_reply(redisAsyncContext* /*context*/, void* reply, void* pending) {
  const std::unique_ptr<PendingReply> owned(static_cast<PendingReply*>(pending));
  if (owned->owner->closing_) return;
  owned->handler(static_cast<const redisReply*>(reply));
}

void RedisConnection::on_push(redisAsyncContext* /*context*/, void* reply, void* connection) {
  RedisConnection* self = owner_of(connection);
  if (self->closing_ || reply == nullptr || !self->push_handler_) return;
  self->push_handler_(static_cast<const redisReply*>(reply));
}

void RedisConnection::write_pending() {
  if (ready_ && queued_bytes() > 0) redisAsyncHandleWrite(context_);
}

std::size_t RedisConnection::queued_bytes() const {
  return context_ != nullptr && context_->c.obuf != nullptr ? sdslen(context_->c.obuf) : 0;
}

template <bool Interest::*Direction, bool Wanted>
void RedisConnection::set_interest(void* connection) {
  RedisConnection* self = owner_of(connection);
  self->interest_.*Direction = Wanted;
  self->update_interest();
}

void RedisConnection::cleanup(void* connection) {
  RedisConnection* self = owner_of(connection);
  if (self->watch_) self->reactor_.unwatch(*self->watch_);
  self->watch_.reset();
}

void RedisConnection::update_interest() {
  if (watch_) reactor_.set_interest(*watch_, interest_);
}

void RedisConnection::handle_io(IoEvents events) {
  // A read may end the connection, and hiredis then frees the context: look again before
  // writing.
  if (context_ != nullptr && (events.readable || events.error || events.peer_hung_up)) redisAsyncHandleRead(context_);
  if (context_ != nullptr && events.writable) redisAsyncHandleWrite(context_);
}

}  // namespace chatroom
