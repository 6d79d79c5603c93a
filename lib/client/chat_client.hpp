// The chat client's logic, independent of any terminal: lines from the user go to the server,
// lines from the server go to a ChatDisplay, and it knows how a session ends. Its socket is a
// LineStream, the daemon's too (framing, output queue, gathered writes), without the chat
// member and the server's policies that the daemon's Connection adds.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "client/chat_display.hpp"
#include "client/client_session.hpp"
#include "client/user_input.hpp"
#include "reactor/reactor.hpp"
#include "transport/line_stream.hpp"

namespace chatroom {

struct ClientLimits {
  // Longest line accepted from the server; far above what chatroomd sends.
  std::size_t max_incoming_line_bytes = std::size_t{1} << 20;
  // Input is paused while more than this is waiting to be sent, and resumed below a quarter.
  std::size_t input_pause_bytes = std::size_t{1} << 20;
  // How long a goodbye waits for the server to close its side.
  std::chrono::milliseconds goodbye_timeout{2000};
  // A line the server leaves unterminated this long, with nothing after it, is shown as it is,
  // as the original client did: the original server sends its welcome without a newline.
  // chatroomd ends every line, so against it this never fires.
  std::chrono::milliseconds unterminated_line_delay{200};
};

class ChatClient final : public UserInputEvents, private LineStreamEvents, private TurnHook {
 public:
  enum class Outcome {
    Running,
    Left,                // the user typed \close, input ended, or a signal asked us to leave
    ServerClosedRoom,    // the server sent \close
    ConnectionLost,      // EOF or an error without \close
  };

  // `transport` is connected (and, for TLS, past its handshake).
  ChatClient(Reactor& reactor, std::unique_ptr<Transport> transport, ChatDisplay& display, ClientLimits limits = {});
  ~ChatClient();
  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // Asked for the password when the server says it needs one; the answer is sent as
  // "\pass PASSWORD". Without a source the request is shown and the user may type \pass.
  using PasswordSource = std::function<std::optional<std::string>()>;
  void answer_password_requests_with(PasswordSource source) { password_source_ = std::move(source); }

  // For backpressure; the input must outlive the client or be detached with nullptr.
  void attach_input(UserInput* input) { input_ = input; }

  void on_user_line(std::string_view line) override;
  void on_user_end() override;
  // Leave cleanly: send what is queued, tell the server we are done, wait for it to close.
  void leave();

  [[nodiscard]] Outcome outcome() const { return outcome_; }
  // The room and nickname as the server reported them, and the names seen.
  [[nodiscard]] const ClientSession& session() const { return session_; }
  // 0 for a clean end (Left or ServerClosedRoom), 1 when the connection was lost.
  [[nodiscard]] int exit_code() const { return outcome_ == Outcome::ConnectionLost ? 1 : 0; }

 private:
  // LineStreamEvents
  void on_line(std::string_view line) override;
  void on_line_too_long() override;
  void on_flush_needed() override { flush_needed_ = true; }
  void on_read_budget_exhausted() override { read_again_ = true; }
  // Only the output limit can pass (the others are off), and input backpressure keeps it from
  // being reached; if it were, there is no way to go on.
  void on_limit_passed(CloseReason reason) override { stream_->close(reason); }
  [[nodiscard]] Farewell farewell_for(CloseReason /*reason*/, std::string_view /*notice*/) const override {
    return {};
  }
  void on_closed(CloseReason reason, std::string_view detail) override;
  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return read_again_; }

  void finish(Outcome outcome);
  void apply_backpressure();
  void show_server_line(std::string_view line);
  void send_password();
  // (Re)starts the unterminated-line timer while input ends mid-line and more came since.
  void watch_unterminated_line();

  Reactor& reactor_;
  PasswordSource password_source_;
  ChatDisplay& display_;
  ClientSession session_;
  ClientLimits limits_;
  StreamLimits stream_limits_;
  ScratchBuffers scratch_;
  std::unique_ptr<LineStream> stream_;
  UserInput* input_ = nullptr;
  bool flush_needed_ = false;
  bool read_again_ = false;
  bool leaving_ = false;
  bool server_sent_close_ = false;
  bool input_paused_ = false;
  std::optional<TimerId> goodbye_timer_;
  std::optional<TimerId> unterminated_line_timer_;
  std::uint64_t bytes_received_when_watched_ = 0;
  bool first_line_seen_ = false;
  Outcome outcome_ = Outcome::Running;
};

}  // namespace chatroom
