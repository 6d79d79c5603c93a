// sd_listen_fds and a check that what we were given is something we can accept on.
#include "service/inherited_sockets.hpp"

#include <stdexcept>
#include <string>

#include "service/systemd_support.hpp"

#if CHATROOM_HAVE_SYSTEMD
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#endif

namespace chatroom {

std::vector<UniqueFd> take_inherited_listeners() {
  std::vector<UniqueFd> listeners;
#if CHATROOM_HAVE_SYSTEMD
  const int count = ::sd_listen_fds(1);
  if (count < 0) throw std::runtime_error("cannot take the sockets passed by the service manager");
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
    if (::sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
      throw std::runtime_error("descriptor " + std::to_string(fd) +
                               " passed by the service manager is not a listening stream socket");
    }
    listeners.emplace_back(fd);
  }
#endif
  return listeners;
}

}  // namespace chatroom
