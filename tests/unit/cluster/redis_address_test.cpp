// --cluster URLs: what is accepted, and that nothing that would need DNS is.
#include "cluster/redis_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace chatroom {
namespace {

TEST(RedisAddress, TcpUrlsGiveHostPortAndDatabase) {
  const RedisAddress plain = RedisAddress::parse("redis://127.0.0.1:6380");
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, 6380);
  EXPECT_EQ(plain.database, 0U);
  EXPECT_TRUE(plain.unix_path.empty());
  const RedisAddress with_database = RedisAddress::parse("redis://10.0.0.5:6379/3");
  EXPECT_EQ(with_database.database, 3U);
  EXPECT_EQ(with_database.to_string(), "redis://10.0.0.5:6379/3");
  EXPECT_EQ(RedisAddress::parse("redis://127.0.0.1").port, 6379) << "the default port";
  EXPECT_EQ(RedisAddress::parse("redis://localhost:7000").host, "127.0.0.1");
  const RedisAddress v6 = RedisAddress::parse("redis://[::1]:6379");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.to_string(), "redis://[::1]:6379");
}

TEST(RedisAddress, UnixUrlsGiveThePathAndDatabase) {
  const RedisAddress address = RedisAddress::parse("unix:///run/redis/redis.sock?db=2");
  EXPECT_EQ(address.unix_path, "/run/redis/redis.sock");
  EXPECT_EQ(address.database, 2U);
  EXPECT_EQ(address.to_string(), "unix:///run/redis/redis.sock?db=2");
  EXPECT_TRUE(address.host.empty());
}

TEST(RedisAddress, NamesToLookUpAndMalformedUrlsAreRefusedWithAReason) {
  for (const char* bad : {"redis://redis.example.org:6379", "http://127.0.0.1:6379", "127.0.0.1:6379",
                          "redis://127.0.0.1:0", "redis://127.0.0.1:70000", "redis://127.0.0.1:6379/x",
                          "redis://[::1", "unix://relative.sock", "unix:///x.sock?database=1", "redis://"}) {
    EXPECT_THROW(static_cast<void>(RedisAddress::parse(bad)), std::invalid_argument) << bad;
  }
  try {
    static_cast<void>(RedisAddress::parse("redis://redis.example.org:6379"));
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("IP address"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace chatroom
