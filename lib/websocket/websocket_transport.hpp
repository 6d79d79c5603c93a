// A chat connection over WebSocket (RFC 6455), after the HTTP upgrade: one text frame per line
// each way. Debian's wslay reads the client's frames (unmasking, fragments, control frames in
// between, UTF-8 and size checks, the close handshake) and writes our control frames; the
// lines themselves go out through WebSocketFrameWriter, straight from the shared broadcast
// bytes. To the connection above it is a byte stream of "\n"-terminated lines like any other.
#pragma once

#include <cstdint>
#include <string>

#include "net/unique_fd.hpp"
#include "transport/transport.hpp"
#include "websocket/websocket_frame_writer.hpp"

struct wslay_event_context;

namespace chatroom {

struct WebSocketLimits {
  // Largest message a client may send (its fragments together); past it the connection is
  // closed with 1009. A message is a line, so this is the line limit.
  std::size_t max_message_bytes = 4096;
};

class WebSocketTransport final : public Transport {
 public:
  // `handshake_response` is sent before anything else; `unread_input` is what the HTTP
  // listener read past the upgrade request (frames a client sent without waiting).
  WebSocketTransport(UniqueFd socket, std::string handshake_response, std::string unread_input,
                     const WebSocketLimits& limits);
  ~WebSocketTransport() override;

  [[nodiscard]] int fd() const override { return socket_.get(); }
  // Gives each text message as its bytes and a "\n". A message that breaks the protocol
  // (binary, invalid UTF-8, too big, unmasked) fails with IoFailure::BrokeWebSocket once the close frame saying
  // so is on its way; the peer's close frame is answered and reads as the end of the stream.
  IoResult receive(std::span<char> into) override;
  IoResult send(const OutputQueue& output, std::span<char> staging) override;
  void shut_down_write() override;
  [[nodiscard]] bool has_output_of_its_own() const override { return own_sent_ < own_output_.size(); }
  void say_farewell(const Farewell& farewell) override;
  [[nodiscard]] bool has_keepalive() const override { return true; }
  Liveness probe_liveness() override;

  // The close code we sent, or 0: why a protocol failure closed the connection.
  [[nodiscard]] std::uint16_t close_code_sent() const;

  // For wslay's callbacks.
  std::ptrdiff_t read_for_wslay(std::uint8_t* into, std::size_t size);
  void append_own_output(const std::uint8_t* bytes, std::size_t size);
  void on_message(int opcode, const std::uint8_t* bytes, std::size_t size);

 private:
  // Moves wslay's queued control frames into own_output_.
  void collect_control_frames();
  // Writes own output now, if no frame is half written, as far as the socket takes it.
  void write_own_output_now();

  UniqueFd socket_;
  wslay_event_context* wslay_ = nullptr;
  WebSocketFrameWriter writer_;
  std::string own_output_;
  std::size_t own_sent_ = 0;
  std::string unread_input_;
  std::size_t unread_used_ = 0;
  // Decoded lines not yet handed to the connection.
  std::string decoded_;
  std::size_t decoded_used_ = 0;
  // Per receive(): how much wslay may still read before it is stopped, so one call stays
  // within the connection's read budget; and whether the socket itself ran dry.
  std::size_t read_allowance_ = 0;
  bool socket_drained_ = false;
  bool end_of_stream_ = false;
  bool read_failed_ = false;
  int read_error_ = 0;
  bool peer_sent_close_ = false;
  bool protocol_broken_ = false;
  bool heard_since_probe_ = true;
  bool farewell_said_ = false;
};

}  // namespace chatroom
