#include "tls/tls_transport.hpp"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <string>

#include "support/test_certificates.hpp"
#include "tls/tls_client_context.hpp"
#include "tls/tls_server_context.hpp"

namespace chatroom {
namespace {

using testing::TestCertificates;

// A TLS session over a socketpair: the server's end as a TlsTransport, the client's end driven
// with OpenSSL directly.
class TlsTransportTest : public ::testing::Test {
 protected:
  void connect(int send_buffer_bytes = 0) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    if (send_buffer_bytes > 0) {
      ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes, sizeof(send_buffer_bytes));
      ::setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &send_buffer_bytes, sizeof(send_buffer_bytes));
    }
    UniqueFd server_socket(fds[0]);
    client_socket_ = UniqueFd(fds[1]);
    SslHandle server_session = server_context_.new_session(server_socket.get());
    client_ = client_context_.new_session(client_socket_.get(), "127.0.0.1");
    bool server_done = false;
    bool client_done = false;
    for (int step = 0; step < 100 && !(server_done && client_done); ++step) {
      if (!server_done) server_done = SSL_do_handshake(server_session.get()) == 1;
      if (!client_done) client_done = SSL_do_handshake(client_.get()) == 1;
    }
    ERR_clear_error();
    ASSERT_TRUE(server_done && client_done) << "the handshake did not finish";
    transport_.emplace(std::move(server_socket), std::move(server_session));
  }

  // Everything the client can read now.
  std::string client_reads_available() {
    std::string received;
    char chunk[16384];
    std::size_t n = 0;
    while (SSL_read_ex(client_.get(), chunk, sizeof(chunk), &n) == 1) received.append(chunk, n);
    ERR_clear_error();
    return received;
  }

  void client_writes(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      std::size_t written = 0;  // partial writes: a record at a time
      ASSERT_EQ(SSL_write_ex(client_.get(), bytes.data() + sent, bytes.size() - sent, &written), 1);
      sent += written;
    }
  }

  // Sends the whole queue, letting the client read whenever the socket is full.
  std::string send_all(OutputQueue& queue, std::size_t& sends) {
    std::string received;
    for (int rounds = 0; rounds < 100000 && !queue.empty(); ++rounds) {
      const IoResult result = transport_->send(queue, staging_);
      ++sends;
      if (result.is_transferred()) {
        queue.consume(result.bytes);
      } else if (result.is_would_block()) {
        EXPECT_FALSE(transport_->writing_waits_for_readable());
        received += client_reads_available();
      } else {
        ADD_FAILURE() << "send failed: " << result.error;
        break;
      }
    }
    return received + client_reads_available();
  }

  TlsServerContext server_context_{TlsServerSettings{TestCertificates::get().server().certificate,
                                                     TestCertificates::get().server().key, false}};
  TlsClientContext client_context_{TlsClientSettings{TestCertificates::get().ca(), true}};
  UniqueFd client_socket_;
  SslHandle client_;
  std::optional<TlsTransport> transport_;
  std::vector<char> staging_ = std::vector<char>(std::size_t{64} << 10);
};

TEST_F(TlsTransportTest, QueuedMessagesAreCoalescedIntoRecordsOfUpTo16KiB) {
  connect();
  OutputQueue queue;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "<alice>:\tmessage number " + std::to_string(i) + " of a busy room\n";
    expected += line;
    queue.push(SharedBytes::copy_of(line));
  }
  std::size_t sends = 0;
  EXPECT_EQ(send_all(queue, sends), expected);
  const std::size_t records_needed = (expected.size() + TlsTransport::kMaxRecordBytes - 1) / TlsTransport::kMaxRecordBytes;
  EXPECT_EQ(sends, records_needed) << expected.size() << " bytes in 1,000 messages";
}

TEST_F(TlsTransportTest, AWriteTheSocketCannotTakeIsRetriedUntilEveryByteArrivesInOrder) {
  connect(4096);
  OutputQueue queue;
  std::string expected;
  for (int i = 0; i < 400; ++i) {
    const std::string chunk = std::to_string(i) + std::string(1000 + i, static_cast<char>('a' + i % 26)) + "\n";
    expected += chunk;
    queue.push(SharedBytes::copy_of(chunk));
  }
  std::size_t sends = 0;
  const std::string received = send_all(queue, sends);
  EXPECT_EQ(received.size(), expected.size());
  EXPECT_TRUE(received == expected) << "bytes arrived changed or out of order";
  EXPECT_GT(sends, 400000u / TlsTransport::kMaxRecordBytes) << "the socket never filled: the test proves nothing";
}

TEST_F(TlsTransportTest, OneReceiveLoopDrainsEveryRecordTheClientSent) {
  connect();
  client_writes("first line\n");
  client_writes("second line\n");
  client_writes(std::string(40000, 'x') + "\n");
  std::string received;
  std::vector<char> into(4096);
  for (int reads = 0; reads < 1000; ++reads) {
    const IoResult result = transport_->receive(into);
    if (!result.is_transferred()) {
      EXPECT_TRUE(result.is_would_block());
      break;
    }
    received.append(into.data(), result.bytes);
  }
  EXPECT_EQ(received, "first line\nsecond line\n" + std::string(40000, 'x') + "\n");
  EXPECT_EQ(SSL_pending(transport_->session()), 0);
}

TEST_F(TlsTransportTest, CloseNotifyAndABareCloseBothEndTheStream) {
  connect();
  SSL_shutdown(client_.get());
  std::vector<char> into(4096);
  const IoResult after_notify = transport_->receive(into);
  EXPECT_TRUE(after_notify.is_end_of_file()) << static_cast<int>(after_notify.kind) << " " << after_notify.error;

  connect();
  client_reads_available();  // the session tickets: unread, the close would be a reset
  client_.reset();
  client_socket_.reset();  // no close_notify
  EXPECT_TRUE(transport_->receive(into).is_end_of_file());
}

TEST_F(TlsTransportTest, GarbageInsteadOfARecordFailsTheStreamAsBrokenTlsNotAsAnythingElse) {
  connect();
  const std::string forged("\x17\x03\x03\x00\x10 not encrypted!", 21);
  ASSERT_EQ(::send(client_socket_.get(), forged.data(), forged.size(), MSG_NOSIGNAL), 21);
  std::vector<char> into(4096);
  const IoResult result = transport_->receive(into);
  EXPECT_TRUE(result.is_failed());
  EXPECT_EQ(result.failure, IoFailure::BrokeTls);
  EXPECT_EQ(ERR_peek_error(), 0u) << "the error queue was left for the next connection";
}

}  // namespace
}  // namespace chatroom
