// A line said in a room, as a room's history, another node and a late joiner see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chatroom {

using WallTime = std::chrono::system_clock::time_point;

enum class ChatKind : std::uint8_t {
  Chat,    // a member said TEXT
  Action,  // a member did TEXT ("\me", CTCP ACTION)
  Server,  // the console said TEXT to everyone
};

struct SaidLine {
  std::string sender;
  ChatKind kind = ChatKind::Chat;
  std::string text;  // sanitised (text_sanitizer) before it is kept or passed on
  WallTime sent_at;
};

}  // namespace chatroom
