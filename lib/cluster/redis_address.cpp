// Parsing of --cluster URLs.
#include "cluster/redis_address.hpp"

#include <charconv>
#include <stdexcept>

#include "net/socket_address.hpp"

namespace chatroom {
namespace {

template <typename Number>
Number parse_number(std::string_view text, Number max, const char* what, std::string_view url) {
  Number value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) {
    throw std::invalid_argument("invalid " + std::string(what) + " in --cluster " + std::string(url));
  }
  return value;
}

}  // namespace

RedisAddress RedisAddress::parse(std::string_view url) {
  constexpr std::string_view kTcp = "redis://";
  constexpr std::string_view kUnix = "unix://";
  RedisAddress address;
  if (url.starts_with(kUnix)) {
    std::string_view rest = url.substr(kUnix.size());
    if (const std::size_t query = rest.find('?'); query != std::string_view::npos) {
      const std::string_view parameter = rest.substr(query + 1);
      if (!parameter.starts_with("db=")) throw std::invalid_argument("unknown parameter in --cluster " + std::string(url));
      address.database = parse_number<unsigned>(parameter.substr(3), 1U << 20, "database number", url);
      rest = rest.substr(0, query);
    }
    if (!rest.starts_with('/')) throw std::invalid_argument("--cluster unix:// needs an absolute path: unix:///run/redis.sock");
    address.unix_path = std::string(rest);
    return address;
  }
  if (!url.starts_with(kTcp)) {
    throw std::invalid_argument("--cluster takes redis://HOST:PORT[/DB] or unix:///PATH, not " + std::string(url));
  }
  std::string_view rest = url.substr(kTcp.size());
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    address.database = parse_number<unsigned>(rest.substr(slash + 1), 1U << 20, "database number", url);
    rest = rest.substr(0, slash);
  }
  std::string_view host = rest;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed [ in --cluster " + std::string(url));
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) throw std::invalid_argument("invalid --cluster " + std::string(url));
  } else {
    const std::size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon);
  }
  if (rest.starts_with(':')) address.port = parse_number<std::uint16_t>(rest.substr(1), 65535, "port", url);
  if (address.port == 0) throw std::invalid_argument("port 0 in --cluster " + std::string(url));
  try {
    // An IP literal or localhost, nothing that needs DNS.
    address.host = SocketAddress::parse(std::string(host), address.port).host_string();
  } catch (const std::exception&) {
    throw std::invalid_argument("--cluster needs Redis's IP address (or localhost), not a name to look up: " +
                                std::string(host));
  }
  return address;
}

std::string RedisAddress::to_string() const {
  std::string text;
  if (!unix_path.empty()) {
    text = "unix://" + unix_path;
    if (database != 0) text.append("?db=").append(std::to_string(database));
    return text;
  }
  text = "redis://";
  text += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  text.append(":").append(std::to_string(port));
  if (database != 0) text.append("/").append(std::to_string(database));
  return text;
}

}  // namespace chatroom
