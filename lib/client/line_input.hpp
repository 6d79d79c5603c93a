// User input from a pipe or a file: every line is a message. Does not own the descriptor.
#pragma once

#include "client/user_input.hpp"
#include "protocol/line_framer.hpp"
#include "reactor/reactor.hpp"

namespace chatroom {

class LineInput final : public UserInput, private IoHandler, private TurnHook, private LineSink {
 public:
  LineInput(Reactor& reactor, int fd, UserInputEvents& events, std::size_t max_line_bytes);
  ~LineInput() override;
  LineInput(const LineInput&) = delete;
  LineInput& operator=(const LineInput&) = delete;

  void pause() override;
  void resume() override;

 private:
  void handle_io(IoEvents events) override;
  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return reads_every_turn(); }
  FeedControl on_line(std::string_view line) override;
  FeedControl on_line_too_long() override;

  // A regular file cannot be watched by epoll and is always readable: it is read one chunk
  // per loop turn instead, so backpressure still applies.
  [[nodiscard]] bool reads_every_turn() const { return unpollable_ && !paused_ && !ended_; }
  void read_once();
  void watch();
  void unwatch();

  Reactor& reactor_;
  int fd_;
  UserInputEvents& events_;
  LineFramer framer_;
  WatchId watch_;
  bool watching_ = false;
  bool unpollable_ = false;
  bool paused_ = false;
  bool ended_ = false;
};

}  // namespace chatroom
