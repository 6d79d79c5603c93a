// The in-process broker and its buses.
#include "cluster/in_memory_bus.hpp"

#include <algorithm>

namespace chatroom {

void InMemoryBroker::deliver_all() {
  while (!queue_.empty()) {
    std::function<void()> work = std::move(queue_.front());
    queue_.pop_front();
    work();
  }
}

void InMemoryBroker::set_reachable(bool reachable) {
  reachable_ = reachable;
  for (InMemoryBus* bus : buses_) {
    if (bus->listener_ != nullptr) bus->set_up(reachable && !bus->cut_off_);
  }
}

void InMemoryBroker::set_reachable(InMemoryBus& bus, bool reachable) {
  bus.cut_off_ = !reachable;
  if (bus.listener_ != nullptr) bus.set_up(reachable_ && reachable);
}

void InMemoryBroker::publish_as_stranger(const std::string& channel, const std::string& payload) {
  later([this, channel, payload] {
    for (InMemoryBus* bus : buses_) {
      if (bus->up_ && bus->subscribed_to(channel)) {
        ++bus->counters_.received;
        bus->listener_->on_bus_message(channel, payload);
      }
    }
  });
}

bool InMemoryBroker::name_free_for(const std::string& name, const std::string& owner) const {
  const auto held = names_.find(name);
  if (held == names_.end() || !alive(held->second) || held->second.owner == owner) return true;
  const std::string& holder = held->second.owner;
  const auto node = instances_.find(holder.substr(0, holder.rfind('/')));
  return node == instances_.end() || !alive(node->second) || node->second.owner != holder;
}

InMemoryBus::InMemoryBus(InMemoryBroker& broker, NodeOrigin origin) : broker_(broker), origin_(std::move(origin)) {
  broker_.buses_.push_back(this);
}

InMemoryBus::~InMemoryBus() {
  *alive_ = false;
  std::erase(broker_.buses_, this);
}

std::string InMemoryBus::owner() const { return origin_.node + "/" + std::to_string(origin_.instance); }

void InMemoryBus::start(BusListener& listener) {
  listener_ = &listener;
  if (broker_.reachable_ && !cut_off_) set_up(true);
}

void InMemoryBus::set_up(bool up) {
  if (up == up_) return;
  up_ = up;
  broker_.later([this, alive = alive_, up] {
    if (!*alive) return;
    if (up) {
      ++counters_.connects;
      listener_->on_bus_up();
    } else {
      listener_->on_bus_down();
    }
  });
}

void InMemoryBus::publish(std::string_view channel, std::string_view payload) {
  if (!up_) {
    ++counters_.dropped_while_down;
    return;
  }
  ++counters_.published;
  broker_.publish_as_stranger(std::string(channel), std::string(payload));
}

void InMemoryBus::claim_name(std::string_view name, std::function<void(NameClaim)> decided) {
  broker_.later([this, alive = alive_, name = std::string(name), decided = std::move(decided)] {
    if (!*alive) return;
    if (!up_) return decided(NameClaim::Unreachable);
    broker_.instances_[origin_.node] = {owner(), broker_.now_ + broker_.lease_};
    if (!broker_.name_free_for(name, owner())) return decided(NameClaim::Taken);
    broker_.names_[name] = {owner(), broker_.now_ + broker_.lease_};
    decided(NameClaim::Granted);
  });
}

void InMemoryBus::release_name(std::string_view name) {
  if (!up_) return;
  const auto held = broker_.names_.find(std::string(name));
  if (held != broker_.names_.end() && held->second.owner == owner()) broker_.names_.erase(held);
}

void InMemoryBus::renew_names(std::vector<std::string> names, std::function<void(std::vector<std::string>)> lost) {
  broker_.later([this, alive = alive_, names = std::move(names), lost = std::move(lost)] {
    if (!*alive || !up_) return;
    broker_.instances_[origin_.node] = {owner(), broker_.now_ + broker_.lease_};
    std::vector<std::string> taken;
    for (const std::string& name : names) {
      if (broker_.name_free_for(name, owner())) {
        broker_.names_[name] = {owner(), broker_.now_ + broker_.lease_};
      } else {
        taken.push_back(name);
      }
    }
    lost(std::move(taken));
  });
}

void InMemoryBus::append_history(std::string_view room, std::string_view payload, std::size_t max_entries) {
  if (!up_) return;
  std::deque<std::string>& lines = broker_.histories_[std::string(room)];
  lines.emplace_back(payload);
  while (lines.size() > max_entries) lines.pop_front();
}

void InMemoryBus::read_history(std::string_view room, std::size_t max_entries,
                               std::function<void(std::vector<std::string>)> done) {
  if (!up_) return;
  broker_.later([this, alive = alive_, room = std::string(room), max_entries, done = std::move(done)] {
    if (!*alive) return;
    const std::deque<std::string>& lines = broker_.histories_[room];
    const std::size_t skip = lines.size() > max_entries ? lines.size() - max_entries : 0;
    done(std::vector<std::string>(lines.begin() + static_cast<std::ptrdiff_t>(skip), lines.end()));
  });
}

void InMemoryBus::store_topic(std::string_view room, std::string_view payload) {
  if (up_) broker_.topics_[std::string(room)] = std::string(payload);
}

void InMemoryBus::read_topic(std::string_view room, std::function<void(std::string)> done) {
  if (!up_) return;
  broker_.later([this, alive = alive_, room = std::string(room), done = std::move(done)] {
    if (!*alive) return;
    const auto stored = broker_.topics_.find(room);
    done(stored != broker_.topics_.end() ? stored->second : std::string());
  });
}

}  // namespace chatroom
