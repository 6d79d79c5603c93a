// Rate limiting of repeated warnings.
#include "reactor/throttled_warning.hpp"

namespace chatroom {

bool ThrottledWarning::should_log(TimePoint now) {
  if (logged_once_ && now - last_logged_ < interval_) {
    ++suppressed_;
    return false;
  }
  logged_once_ = true;
  last_logged_ = now;
  suppressed_reported_ = suppressed_;
  suppressed_ = 0;
  return true;
}

}  // namespace chatroom
