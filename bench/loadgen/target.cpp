// Parsing of --target.
#include <charconv>
#include <stdexcept>

#include "loadgen/load_config.hpp"

namespace chatroom::bench {

Target Target::parse(const std::string& text) {
  Target target;
  std::string_view rest = text;
  if (rest.rfind("redis://", 0) == 0) {
    target.kind = Kind::Redis;
    target.port = 6379;
    rest.remove_prefix(8);
  } else if (rest.rfind("chat://", 0) == 0) {
    rest.remove_prefix(7);
  } else if (rest.rfind("irc://", 0) == 0) {
    target.kind = Kind::Irc;
    target.port = 6667;
    rest.remove_prefix(6);
  } else if (rest.rfind("ws://", 0) == 0) {
    target.kind = Kind::WebSocket;
    target.port = 7080;
    rest.remove_prefix(5);
    if (rest.ends_with("/ws")) rest.remove_suffix(3);
  }
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed '[' in target '" + text + "'");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') throw std::invalid_argument("expected ':' after ']' in target '" + text + "'");
      port = rest.substr(close + 2);
    }
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (!host.empty()) target.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      throw std::invalid_argument("bad port in target '" + text + "'");
    }
    target.port = static_cast<std::uint16_t>(value);
  }
  return target;
}

std::string Target::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  const char* scheme = "chat://";
  if (kind == Kind::Redis) scheme = "redis://";
  if (kind == Kind::WebSocket) scheme = "ws://";
  if (kind == Kind::Irc) scheme = "irc://";
  return std::string(scheme) + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) +
         (kind == Kind::WebSocket ? "/ws" : "");
}

}  // namespace chatroom::bench
