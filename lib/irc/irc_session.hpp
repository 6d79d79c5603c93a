// One IRC client: registration (CAP, PASS, NICK, USER), then its commands as the chat hub's
// calls and the chat's doings as IRC messages (docs/protocol.md, "IRC").
#pragma once

#include <memory>

#include "irc/irc_protocol.hpp"
#include "server/connection.hpp"

namespace chatroom {

[[nodiscard]] std::unique_ptr<Session> make_irc_session(Connection& connection, SessionContext& context,
                                                        const IrcProtocol& protocol);

}  // namespace chatroom
