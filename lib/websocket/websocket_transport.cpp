// wslay's event API driven from the connection's edges: it pulls bytes through our read
// callback and pushes its control frames into our own output; lines bypass it both ways.
#include "websocket/websocket_transport.hpp"

#include <wslay/wslay.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <new>

#include "net/socket_io.hpp"

namespace chatroom {
namespace {

// A close frame's reason must fit in a control frame's 125 bytes with the 2-byte code.
constexpr std::size_t kMaxCloseReasonBytes = 123;

WebSocketTransport& transport_of(void* user_data) { return *static_cast<WebSocketTransport*>(user_data); }

ssize_t on_wslay_recv(wslay_event_context_ptr, std::uint8_t* into, std::size_t size, int, void* user_data) {
  return transport_of(user_data).read_for_wslay(into, size);
}

ssize_t on_wslay_send(wslay_event_context_ptr, const std::uint8_t* bytes, std::size_t size, int, void* user_data) {
  transport_of(user_data).append_own_output(bytes, size);
  return static_cast<ssize_t>(size);
}

void on_wslay_message(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg* message, void* user_data) {
  transport_of(user_data).on_message(message->opcode, message->msg, message->msg_length);
}

// Cuts `reason` to at most `limit` bytes without splitting a UTF-8 sequence (a close reason
// must be valid UTF-8).
std::string_view truncate_utf8(std::string_view reason, std::size_t limit) {
  if (reason.size() <= limit) return reason;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80) --end;
  return reason.substr(0, end);
}

}  // namespace

WebSocketTransport::WebSocketTransport(UniqueFd socket, std::string handshake_response, std::string unread_input,
                                       const WebSocketLimits& limits)
    : socket_(std::move(socket)), own_output_(std::move(handshake_response)), unread_input_(std::move(unread_input)) {
  const wslay_event_callbacks callbacks{on_wslay_recv, on_wslay_send, nullptr, nullptr, nullptr, nullptr,
                                        on_wslay_message};
  if (wslay_event_context_server_init(&wslay_, &callbacks, this) != 0) throw std::bad_alloc();
  wslay_event_config_set_max_recv_msg_length(wslay_, limits.max_message_bytes);
}

WebSocketTransport::~WebSocketTransport() { wslay_event_context_free(wslay_); }

IoResult WebSocketTransport::receive(std::span<char> into) {
  while (true) {
    if (decoded_used_ < decoded_.size()) {
      const std::size_t bytes = std::min(into.size(), decoded_.size() - decoded_used_);
      std::memcpy(into.data(), decoded_.data() + decoded_used_, bytes);
      decoded_used_ += bytes;
      if (decoded_used_ == decoded_.size()) {
        decoded_.clear();
        decoded_used_ = 0;
      }
      return IoResult::transferred(bytes);
    }
    if (protocol_broken_) {
      write_own_output_now();  // the close frame that says why
      return IoResult::broken(IoFailure::BrokeWebSocket);
    }
    if (peer_sent_close_ || end_of_stream_) {
      write_own_output_now();  // our answering close frame
      return IoResult::end_of_file();
    }
    if (read_failed_) return IoResult::failed(read_error_);

    read_allowance_ = into.size();
    socket_drained_ = false;
    const int outcome = wslay_event_recv(wslay_);
    collect_control_frames();
    if (!wslay_event_get_read_enabled(wslay_) && !end_of_stream_ && !read_failed_) {
      // wslay stops reading after a close frame, or after it queued one of its own for a
      // broken rule (1002, 1007, 1009).
      if (wslay_event_get_close_received(wslay_) != 0) {
        peer_sent_close_ = true;
      } else {
        protocol_broken_ = true;
      }
    } else if (outcome != 0 && !end_of_stream_ && !read_failed_) {
      read_failed_ = true;
      read_error_ = ENOMEM;
    }
    const bool more_to_report = decoded_used_ < decoded_.size() || protocol_broken_ || peer_sent_close_ ||
                                end_of_stream_ || read_failed_;
    if (!more_to_report && socket_drained_) return IoResult::would_block();
  }
}

std::ptrdiff_t WebSocketTransport::read_for_wslay(std::uint8_t* into, std::size_t size) {
  if (unread_used_ < unread_input_.size()) {
    const std::size_t bytes = std::min(size, unread_input_.size() - unread_used_);
    std::memcpy(into, unread_input_.data() + unread_used_, bytes);
    unread_used_ += bytes;
    if (unread_used_ == unread_input_.size()) std::string().swap(unread_input_);
    heard_since_probe_ = true;
    return static_cast<std::ptrdiff_t>(bytes);
  }
  if (read_allowance_ == 0) {
    // Not drained: the connection's budget for this call is spent. It calls again.
    wslay_event_set_error(wslay_, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  const IoResult result = read_some(socket_.get(), {reinterpret_cast<char*>(into), std::min(size, read_allowance_)});
  switch (result.kind) {
    case IoResult::Kind::Transferred:
      read_allowance_ -= result.bytes;
      heard_since_probe_ = true;
      return static_cast<std::ptrdiff_t>(result.bytes);
    case IoResult::Kind::WouldBlock:
      socket_drained_ = true;
      wslay_event_set_error(wslay_, WSLAY_ERR_WOULDBLOCK);
      return -1;
    case IoResult::Kind::EndOfFile:
      end_of_stream_ = true;
      break;
    case IoResult::Kind::Failed:
      read_failed_ = true;
      read_error_ = result.error;
      break;
  }
  wslay_event_set_error(wslay_, WSLAY_ERR_CALLBACK_FAILURE);
  return -1;
}

void WebSocketTransport::on_message(int opcode, const std::uint8_t* bytes, std::size_t size) {
  if (opcode == WSLAY_TEXT_FRAME) {
    decoded_.append(reinterpret_cast<const char*>(bytes), size);
    decoded_.push_back('\n');
  } else if (opcode == WSLAY_BINARY_FRAME && !protocol_broken_) {
    static constexpr std::string_view kWhy = "binary messages are not chat lines";
    wslay_event_queue_close(wslay_, WSLAY_CODE_UNSUPPORTED_DATA, reinterpret_cast<const std::uint8_t*>(kWhy.data()),
                            kWhy.size());
    wslay_event_shutdown_read(wslay_);
    protocol_broken_ = true;
  }
  // Pings are answered by wslay, pongs only show the peer is there, and a close frame is
  // seen through wslay_event_get_close_received.
}

void WebSocketTransport::append_own_output(const std::uint8_t* bytes, std::size_t size) {
  own_output_.append(reinterpret_cast<const char*>(bytes), size);
}

void WebSocketTransport::collect_control_frames() {
  if (wslay_event_want_write(wslay_) != 0) wslay_event_send(wslay_);
}

IoResult WebSocketTransport::send(const OutputQueue& output, std::span<char> staging) {
  std::array<iovec, kIovecsPerWrite> iovecs;  // describe() fills what it reports
  const std::string_view own = std::string_view(own_output_).substr(own_sent_);
  const WebSocketFrameWriter::Described described = writer_.describe(own, output, iovecs, staging);
  if (described.iovecs == 0) return IoResult::transferred(0);
  const IoResult result = send_gathered(socket_.get(), std::span(iovecs).first(described.iovecs));
  if (!result.is_transferred()) return result;
  const WebSocketFrameWriter::Taken taken = writer_.account(result.bytes, described, own, output);
  own_sent_ += taken.own_bytes;
  if (own_sent_ == own_output_.size()) {
    own_output_.clear();
    own_sent_ = 0;
  }
  return IoResult::transferred(taken.queue_bytes);
}

void WebSocketTransport::write_own_output_now() {
  while (!writer_.mid_frame() && has_output_of_its_own()) {
    const iovec pending{own_output_.data() + own_sent_, own_output_.size() - own_sent_};
    const IoResult result = send_gathered(socket_.get(), std::span(&pending, 1));
    if (!result.is_transferred()) return;
    own_sent_ += result.bytes;
  }
  if (!has_output_of_its_own()) {
    own_output_.clear();
    own_sent_ = 0;
  }
}

void WebSocketTransport::say_farewell(const Farewell& farewell) {
  if (farewell_said_ || wslay_event_get_close_sent(wslay_) != 0) return;
  farewell_said_ = true;
  const std::string_view reason = truncate_utf8(farewell.reason, kMaxCloseReasonBytes);
  wslay_event_queue_close(wslay_, farewell.code, reinterpret_cast<const std::uint8_t*>(reason.data()), reason.size());
  collect_control_frames();
  write_own_output_now();
}

void WebSocketTransport::shut_down_write() { shutdown_write(socket_.get()); }

Liveness WebSocketTransport::probe_liveness() {
  if (!heard_since_probe_) return Liveness::Silent;
  heard_since_probe_ = false;
  const wslay_event_msg ping{WSLAY_PING, nullptr, 0};
  wslay_event_queue_msg(wslay_, &ping);
  collect_control_frames();
  return Liveness::Alive;
}

std::uint16_t WebSocketTransport::close_code_sent() const { return wslay_event_get_status_code_sent(wslay_); }

}  // namespace chatroom
