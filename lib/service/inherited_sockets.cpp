// sd_listen_fds_with_names, a check that what we were given is something we can accept on,
// and the names that say which listener each socket is for.
#include "service/inherited_sockets.hpp"

#include <cstdlib>
#include <stdexcept>

#include "service/systemd_support.hpp"

#if CHATROOM_HAVE_SYSTEMD
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#endif

namespace chatroom {
namespace {

struct RoleName {
  ListenerRole role;
  std::string_view name;
};
constexpr std::array<RoleName, kListenerRoles> kRoleNames{{
    {ListenerRole::Chat, "chat"},
    {ListenerRole::Tls, "tls"},
    {ListenerRole::Irc, "irc"},
    {ListenerRole::IrcTls, "irc-tls"},
    {ListenerRole::Http, "http"},
}};

}  // namespace

std::optional<ListenerRole> listener_role_named(std::string_view name) {
  if (name == "unknown" || name == "chatroomd.socket") return ListenerRole::Chat;
  for (const RoleName& known : kRoleNames) {
    if (known.name == name) return known.role;
  }
  return std::nullopt;
}

std::string_view socket_name_of(ListenerRole role) { return kRoleNames[static_cast<std::size_t>(role)].name; }

InheritedListeners InheritedListeners::sort(std::vector<std::pair<std::string, UniqueFd>> named) {
  InheritedListeners sorted;
  for (auto& [name, fd] : named) {
    const std::optional<ListenerRole> role = listener_role_named(name);
    if (!role) {
      throw std::runtime_error("the service manager passed a socket named '" + name +
                               "' (FileDescriptorName=); chatroomd knows chat, tls, irc, irc-tls and http");
    }
    sorted.by_role_[index(*role)].push_back(std::move(fd));
  }
  return sorted;
}

std::vector<UniqueFd> InheritedListeners::take(ListenerRole role) { return std::exchange(by_role_[index(role)], {}); }

bool InheritedListeners::empty() const {
  for (const auto& sockets : by_role_) {
    if (!sockets.empty()) return false;
  }
  return true;
}

InheritedListeners take_inherited_listeners() {
  std::vector<std::pair<std::string, UniqueFd>> named;
#if CHATROOM_HAVE_SYSTEMD
  char** names = nullptr;
  const int count = ::sd_listen_fds_with_names(1, &names);
  if (count < 0) throw std::runtime_error("cannot take the sockets passed by the service manager");
  // Every descriptor is ours from here on, even if one of them is refused below.
  for (int i = 0; i < count; ++i) named.emplace_back(names[i], UniqueFd(SD_LISTEN_FDS_START + i));
  for (int i = 0; i < count; ++i) std::free(names[i]);
  std::free(names);
  for (const auto& [name, fd] : named) {
    if (::sd_is_socket(fd.get(), AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
      throw std::runtime_error("descriptor " + std::to_string(fd.get()) + " ('" + name +
                               "') passed by the service manager is not a listening stream socket");
    }
  }
#endif
  return InheritedListeners::sort(std::move(named));
}

}  // namespace chatroom
