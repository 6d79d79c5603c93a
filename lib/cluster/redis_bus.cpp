// Commands and scripts behind each bus operation.
#include "cluster/redis_bus.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <cinttypes>
#include <cstdio>

namespace chatroom {
namespace {

constexpr std::string_view kNameKeyPrefix = "chatroom:nick:";
constexpr std::string_view kInstanceKeyPrefix = "chatroom:instance:";
constexpr std::string_view kHistoryKeyPrefix = "chatroom:history:";
constexpr std::string_view kTopicKeyPrefix = "chatroom:topic:";
// Names renewed per script call, so one call never holds Redis for long.
constexpr std::size_t kNamesPerRenewal = 1000;

// A name is free for ARGV[1] unless its holder is the current instance of a node whose
// instance key is still alive: a restarted node has a new instance, a dead node's instance
// key expires with its lease. Shared by the claim and the renewal.
constexpr std::string_view kFreeForUs = R"lua(
local function free_for_us(key)
  local held = redis.call('GET', key)
  if not held or held == ARGV[1] then return true end
  local node = string.match(held, '^(.*)/%x+$')
  return not node or redis.call('GET', ARGV[3] .. node) ~= held
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
)lua";

// KEYS[1] our instance key, KEYS[2] the name. 1 if ours now, 0 if taken.
constexpr std::string_view kClaimScript = R"lua(
if not free_for_us(KEYS[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
)lua";

// KEYS[1] our instance key, KEYS[2..] our names. Returns the names someone else holds now.
constexpr std::string_view kRenewScript = R"lua(
local lost = {}
for i = 2, #KEYS do
  if free_for_us(KEYS[i]) then
    redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  else
    lost[#lost + 1] = KEYS[i]
  end
end
return lost
)lua";

constexpr std::string_view kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// What hiredis queues for a command: "*N\r\n" then "$LENGTH\r\nBYTES\r\n" per argument.
std::size_t resp_size(std::span<const std::string_view> command) {
  std::size_t size = 3 + std::to_string(command.size()).size();
  for (const std::string_view argument : command) size += 5 + std::to_string(argument.size()).size() + argument.size();
  return size;
}

// LRANGE's and LTRIM's "the last N": -N.
std::string last(std::size_t entries) {
  std::string index = std::to_string(entries);
  index.insert(index.begin(), '-');
  return index;
}

std::string with_prefix(std::string_view prefix, std::string_view name) {
  std::string key(prefix);
  key.append(name);
  return key;
}

}  // namespace

RedisBus::RedisBus(Reactor& reactor, RedisBusSettings settings)
    : reactor_(reactor),
      settings_(std::move(settings)),
      commands_(reactor, settings_.connection, "commands", outages_),
      subscriptions_(reactor, settings_.connection, "subscriptions", outages_) {
  subscriptions_.set_push_handler([this](const redisReply* reply) { on_push(reply); });
  reactor_.add_turn_hook(*this, TurnPhase::OutputToPeers);
}

RedisBus::~RedisBus() { reactor_.remove_turn_hook(*this); }

void RedisBus::end_of_turn() {
  // What this turn queued for Redis goes now, in the phase before the clients' flush, which for
  // a big room takes milliseconds that other nodes' members should not wait. (Left to hiredis,
  // it would go when the socket is next reported writable: after that flush, a turn later.)
  commands_.write_pending();
  subscriptions_.write_pending();
}

std::string RedisBus::owner() const {
  char instance[17];
  std::snprintf(instance, sizeof(instance), "%016" PRIx64, settings_.origin.instance);
  return settings_.origin.node + "/" + instance;
}

void RedisBus::start(BusListener& listener) {
  listener_ = &listener;
  commands_.start([this] { connection_ready(); }, [this] { connection_lost(); });
  subscriptions_.start([this] { subscribe_all(); },
                       [this] {
                         subscribed_ = false;
                         connection_lost();
                       });
}

void RedisBus::connection_ready() {
  if (up_ || !commands_.ready() || !subscriptions_.ready() || !subscribed_) return;
  up_ = true;
  ++counters_.connects;
  listener_->on_bus_up();
}

void RedisBus::connection_lost() {
  if (!up_) return;
  up_ = false;
  listener_->on_bus_down();
}

BusCounters RedisBus::counters() const {
  BusCounters counters = counters_;
  counters.queued_bytes = commands_.queued_bytes();
  return counters;
}

bool RedisBus::room_for(std::size_t bytes) const {
  return commands_.queued_bytes() + bytes <= settings_.max_output_bytes;
}

bool RedisBus::send(std::span<const std::string_view> command, RedisConnection::ReplyHandler handler) {
  if (!up_) return false;
  if (!room_for(resp_size(command))) {
    ++counters_.dropped_over_limit;
    return false;
  }
  return commands_.command(command, std::move(handler));
}

void RedisBus::publish(std::string_view channel, std::string_view payload) {
  if (!up_) {
    ++counters_.dropped_while_down;
    return;
  }
  const std::string_view command[] = {"PUBLISH", channel, payload};
  if (send(command)) ++counters_.published;
}

void RedisBus::subscribe(std::string_view channel) {
  if (!channels_.emplace(channel).second) return;
  const std::string_view command[] = {"SUBSCRIBE", channel};
  subscriptions_.subscription_command(command);  // if not ready, subscribe_all() will
}

void RedisBus::unsubscribe(std::string_view channel) {
  if (channels_.erase(std::string(channel)) == 0) return;
  const std::string_view command[] = {"UNSUBSCRIBE", channel};
  subscriptions_.subscription_command(command);
}

void RedisBus::subscribe_all() {
  unconfirmed_subscriptions_ = channels_.size();
  if (channels_.empty()) {
    subscribed_ = true;
    connection_ready();
    return;
  }
  std::vector<std::string_view> command{"SUBSCRIBE"};
  for (const std::string& channel : channels_) {
    command.push_back(channel);
    if (command.size() == 1001) {
      subscriptions_.subscription_command(command);
      command.resize(1);
    }
  }
  if (command.size() > 1) subscriptions_.subscription_command(command);
}

void RedisBus::on_push(const redisReply* reply) {
  // ["message", channel, payload], or a confirmation: ["subscribe", channel, count].
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
  const redisReply* kind = reply->element[0];
  const redisReply* channel = reply->element[1];
  const redisReply* payload = reply->element[2];
  if (kind->type != REDIS_REPLY_STRING) return;
  const std::string_view what(kind->str, kind->len);
  if (what == "subscribe" && !subscribed_ && unconfirmed_subscriptions_ > 0 && --unconfirmed_subscriptions_ == 0) {
    subscribed_ = true;
    connection_ready();
    return;
  }
  if (what != "message") return;
  if (channel->type != REDIS_REPLY_STRING || payload->type != REDIS_REPLY_STRING) return;
  ++counters_.received;
  listener_->on_bus_message(std::string_view(channel->str, channel->len), std::string_view(payload->str, payload->len));
}

void RedisBus::claim_name(std::string_view name, std::function<void(NameClaim)> decided) {
  const std::string script = std::string(kFreeForUs) + std::string(kClaimScript);
  const std::string instance_key = with_prefix(kInstanceKeyPrefix, settings_.origin.node);
  const std::string name_key = with_prefix(kNameKeyPrefix, name);
  const std::string holder = owner();
  const std::string lease = std::to_string(settings_.lease.count());
  const std::string_view command[] = {"EVAL", script, "2", instance_key, name_key, holder, lease, kInstanceKeyPrefix};
  const bool sent = send(command, [decided](const redisReply* reply) {
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
      if (reply != nullptr) spdlog::error("cluster: Redis refused the name claim script: {}", reply->str);
      decided(NameClaim::Unreachable);
      return;
    }
    decided(reply->type == REDIS_REPLY_INTEGER && reply->integer == 1 ? NameClaim::Granted : NameClaim::Taken);
  });
  if (!sent) {
    // Answered on the next turn, never from inside the call.
    reactor_.run_after(Duration::zero(), [decided = std::move(decided)] { decided(NameClaim::Unreachable); });
  }
}

void RedisBus::release_name(std::string_view name) {
  const std::string script(kReleaseScript);
  const std::string name_key = with_prefix(kNameKeyPrefix, name);
  const std::string holder = owner();
  const std::string_view command[] = {"EVAL", script, "1", name_key, holder};
  // Lost if Redis is unreachable or stalled: the lease then runs out by itself.
  send(command);
}

void RedisBus::renew_names(std::vector<std::string> names, std::function<void(std::vector<std::string>)> lost) {
  if (!up_) return;
  const std::string script = std::string(kFreeForUs) + std::string(kRenewScript);
  const std::string instance_key = with_prefix(kInstanceKeyPrefix, settings_.origin.node);
  const std::string holder = owner();
  const std::string lease = std::to_string(settings_.lease.count());
  std::size_t next = 0;
  do {  // at least once, which renews the instance key even with no names
    const std::size_t batch = std::min(kNamesPerRenewal, names.size() - next);
    std::vector<std::string> keys;
    keys.reserve(batch);
    for (std::size_t i = 0; i < batch; ++i) keys.push_back(with_prefix(kNameKeyPrefix, names[next + i]));
    next += batch;
    const std::string key_count = std::to_string(batch + 1);
    std::vector<std::string_view> command{"EVAL", script, key_count, instance_key};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), {holder, lease, kInstanceKeyPrefix});
    send(command, [lost](const redisReply* reply) {
      if (reply == nullptr) return;
      if (reply->type == REDIS_REPLY_ERROR) {
        spdlog::error("cluster: Redis refused the lease renewal script: {}", reply->str);
        return;
      }
      if (reply->type != REDIS_REPLY_ARRAY) return;
      std::vector<std::string> taken;
      for (std::size_t i = 0; i < reply->elements; ++i) {
        const redisReply* key = reply->element[i];
        if (key->type != REDIS_REPLY_STRING || key->len < kNameKeyPrefix.size()) continue;
        taken.emplace_back(key->str + kNameKeyPrefix.size(), key->len - kNameKeyPrefix.size());
      }
      lost(std::move(taken));
    });
  } while (next < names.size());
}

void RedisBus::append_history(std::string_view room, std::string_view payload, std::size_t max_entries) {
  const std::string key = with_prefix(kHistoryKeyPrefix, room);
  const std::string keep_from = last(max_entries);
  const std::string_view push[] = {"RPUSH", key, payload};
  const std::string_view trim[] = {"LTRIM", key, keep_from, "-1"};
  if (send(push)) send(trim);
}

void RedisBus::read_history(std::string_view room, std::size_t max_entries,
                            std::function<void(std::vector<std::string>)> done) {
  const std::string key = with_prefix(kHistoryKeyPrefix, room);
  const std::string from = last(max_entries);
  const std::string_view command[] = {"LRANGE", key, from, "-1"};
  send(command, [done = std::move(done)](const redisReply* reply) {
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) return;
    std::vector<std::string> lines;
    lines.reserve(reply->elements);
    for (std::size_t i = 0; i < reply->elements; ++i) {
      const redisReply* line = reply->element[i];
      if (line->type == REDIS_REPLY_STRING) lines.emplace_back(line->str, line->len);
    }
    done(std::move(lines));
  });
}

void RedisBus::store_topic(std::string_view room, std::string_view payload) {
  const std::string key = with_prefix(kTopicKeyPrefix, room);
  const std::string_view command[] = {"SET", key, payload};
  send(command);
}

void RedisBus::read_topic(std::string_view room, std::function<void(std::string)> done) {
  const std::string key = with_prefix(kTopicKeyPrefix, room);
  const std::string_view command[] = {"GET", key};
  send(command, [done = std::move(done)](const redisReply* reply) {
    if (reply == nullptr) return;
    done(reply->type == REDIS_REPLY_STRING ? std::string(reply->str, reply->len) : std::string());
  });
}

}  // namespace chatroom
