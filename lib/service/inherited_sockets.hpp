// Listening sockets handed over by the service manager (socket activation,
// sd_listen_fds_with_names), sorted by the listener each one is for.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/unique_fd.hpp"

namespace chatroom {

// The daemon's listeners a socket unit can stand in for.
enum class ListenerRole { Chat, Tls, Irc, IrcTls, Http };
inline constexpr std::size_t kListenerRoles = 5;

// The listener a socket named `name` (its unit's FileDescriptorName=) is for: "chat", "tls",
// "irc", "irc-tls" or "http". A socket without a name of its own ("unknown" when the manager
// passes no names, "chatroomd.socket" by systemd's default) is the chat listener's, as
// before sockets had names. nullopt for any other name.
std::optional<ListenerRole> listener_role_named(std::string_view name);
// The name a socket for `role` carries, for messages.
std::string_view socket_name_of(ListenerRole role);

class InheritedListeners {
 public:
  InheritedListeners() = default;
  // Sorts sockets by their names; throws std::runtime_error for a name that is none of the
  // listeners', saying which names there are.
  static InheritedListeners sort(std::vector<std::pair<std::string, UniqueFd>> named);

  // The sockets passed for `role`, in the order passed, handed over; empty if there were none.
  std::vector<UniqueFd> take(ListenerRole role);
  [[nodiscard]] std::size_t count(ListenerRole role) const { return by_role_[index(role)].size(); }
  [[nodiscard]] bool empty() const;

 private:
  static std::size_t index(ListenerRole role) { return static_cast<std::size_t>(role); }
  std::array<std::vector<UniqueFd>, kListenerRoles> by_role_;
};

// Takes ownership of the listening stream sockets passed with LISTEN_FDS, LISTEN_PID and
// LISTEN_FDNAMES, and unsets those variables. Empty when not socket-activated or built without
// systemd. Throws std::runtime_error if a descriptor is not a listening stream socket or its
// name is unknown.
InheritedListeners take_inherited_listeners();

}  // namespace chatroom
