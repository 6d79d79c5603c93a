#!/usr/bin/env bash
# The Debian packages: scripts/package.sh builds them; they hold the expected files, lintian
# finds no error or warning, and the packaged binaries run. As root, with the packages not
# installed already, they are also installed, removed and purged, and the system must then
# be as it was before.
# Usage: tests/package_test.sh [OUT_DIR]   (default build-deb/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build-deb}")

scripts/package.sh "$out" >/dev/null
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
daemon_deb="$out/chatroomd_${version}_$(dpkg --print-architecture).deb"
client_deb="$out/chatroom_${version}_$(dpkg --print-architecture).deb"

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

for deb in "$daemon_deb" "$client_deb"; do
  [ -f "$deb" ] && ok "built $(basename "$deb")" || { bad "not built: $deb"; exit 1; }
done

expect_files() {  # expect_files DEB PATH...
  local deb=$1 listing
  shift
  listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
  for path in "$@"; do
    grep -qx "\\.$path" <<<"$listing" && ok "$(basename "$deb") has $path" || bad "$(basename "$deb") lacks $path"
  done
}
expect_files "$daemon_deb" /usr/sbin/chatroomd /etc/chatroom/chatroomd.conf /lib/systemd/system/chatroomd.service \
  /lib/systemd/system/chatroomd.socket /lib/systemd/system/chatroomd-irc.socket /lib/systemd/system/chatroomd@.service /usr/share/man/man8/chatroomd.8.gz /usr/share/doc/chatroomd/copyright \
  /usr/share/doc/chatroomd/examples/chatroomd-tls.conf
expect_files "$client_deb" /usr/bin/chatroom /usr/bin/chatroom-bench /usr/share/man/man1/chatroom.1.gz \
  /usr/share/man/man1/chatroom-bench.1.gz /usr/share/doc/chatroom/copyright
if dpkg-deb -c "$client_deb" | grep -q chatroomd; then bad "the client package holds daemon files"; fi
dpkg-deb --ctrl-tarfile "$daemon_deb" | tar -xO ./conffiles | grep -qx /etc/chatroom/chatroomd.conf &&
  ok "/etc/chatroom/chatroomd.conf is a conffile" || bad "/etc/chatroom/chatroomd.conf is not a conffile"

# lintian.txt holds the run scripts/package.sh made (--pedantic, with info tags).
problems=$(grep -E '^[EW]: ' "$out/lintian.txt" || true)
if [ -n "$problems" ]; then bad "lintian:"; echo "$problems"; else ok "lintian: no errors or warnings ($(grep -cE '^[IPX]: ' "$out/lintian.txt") info/pedantic tags)"; fi

# The packaged binaries, unpacked: they run, know their version, and the daemon chats.
unpacked=$(mktemp -d)
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  rm -rf "$unpacked"
}
trap cleanup EXIT
dpkg-deb -x "$daemon_deb" "$unpacked"
dpkg-deb -x "$client_deb" "$unpacked"
for binary in usr/sbin/chatroomd usr/bin/chatroom usr/bin/chatroom-bench; do
  printed=$("$unpacked/$binary" --version)
  [ "$printed" = "$version" ] && ok "$binary --version prints $version" || bad "$binary --version printed '$printed'"
done
"$unpacked/usr/sbin/chatroomd" --config "$unpacked/etc/chatroom/chatroomd.conf" --port 0 \
  --port-file "$unpacked/port" --http-port 0 --irc-port 0 --no-console >"$unpacked/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do [ -s "$unpacked/port" ] && break; sleep 0.05; done
port=$(cat "$unpacked/port" 2>/dev/null || true)
if [ -n "$port" ] && exec 3<>"/dev/tcp/127.0.0.1/$port" && IFS= read -r -t 5 welcome <&3 &&
   [[ "$welcome" == "connected to chat room at : 127.0.0.1:$port" ]]; then
  ok "the packaged chatroomd, with the packaged configuration, welcomes a client"
  exec 3<&-
else
  bad "the packaged chatroomd did not welcome a client"; cat "$unpacked/daemon.log"
fi
kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=

# Install, remove, purge.
if [ "$(id -u)" -ne 0 ]; then
  echo "skip install/remove/purge: not root"
elif dpkg -s chatroomd >/dev/null 2>&1 || dpkg -s chatroom >/dev/null 2>&1; then
  echo "skip install/remove/purge: chatroom packages are installed on this system already"
else
  snapshot() {
    find /etc /lib/systemd /usr/sbin /usr/bin /usr/share/man /usr/share/doc /var/lib/systemd /var/lib/dpkg/info \
      -xdev 2>/dev/null | sort
  }
  before=$(snapshot)
  dpkg -i "$daemon_deb" "$client_deb" >"$unpacked/dpkg.log" 2>&1 || { cat "$unpacked/dpkg.log"; bad "dpkg -i failed"; }
  [ "$(/usr/sbin/chatroomd --version)" = "$version" ] && ok "installed: /usr/sbin/chatroomd $version" || bad "installed chatroomd"
  [ "$(chatroom --version)" = "$version" ] && ok "installed: chatroom $version" || bad "installed chatroom"
  [ -L /etc/systemd/system/multi-user.target.wants/chatroomd.service ] && ok "chatroomd.service is enabled" ||
    bad "chatroomd.service is not enabled"
  [ ! -e /etc/systemd/system/sockets.target.wants/chatroomd.socket ] && ok "chatroomd.socket is not enabled" ||
    bad "chatroomd.socket is enabled"
  [ ! -e /etc/systemd/system/sockets.target.wants/chatroomd-irc.socket ] && ok "chatroomd-irc.socket is not enabled" ||
    bad "chatroomd-irc.socket is enabled"
  if [ -d /run/systemd/system ]; then
    systemctl is-active --quiet chatroomd.service && ok "systemd started chatroomd.service" || bad "chatroomd.service is not running"
  else
    echo "skip: systemd is not running here, so nothing was started (the maintainer scripts start the service where it runs)"
  fi
  dpkg -r chatroomd chatroom >>"$unpacked/dpkg.log" 2>&1 || bad "dpkg -r failed"
  [ ! -e /usr/sbin/chatroomd ] && [ ! -e /usr/bin/chatroom ] && ok "removed: the binaries are gone" || bad "binaries left after dpkg -r"
  [ -f /etc/chatroom/chatroomd.conf ] && ok "removed: the configuration is kept" || bad "dpkg -r removed the conffile"
  dpkg -P chatroomd >>"$unpacked/dpkg.log" 2>&1 || bad "dpkg -P failed"
  after=$(snapshot)
  if [ "$before" = "$after" ]; then
    ok "purged: the system is as it was before the install"
  else
    bad "purge left the system changed:"; diff <(echo "$before") <(echo "$after") || true
  fi
fi
exit "$fail"
