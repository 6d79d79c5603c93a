// setrlimit(RLIMIT_NOFILE).
#include "net/descriptor_limit.hpp"

#include <sys/resource.h>

namespace chatroom {

std::size_t raise_descriptor_limit_to_hard() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace chatroom
