#!/usr/bin/env bash
# meson install --destdir lays out every installed file, and the installed units pass
# systemd-analyze verify with a hardening score of OK or better.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild >/dev/null
prefix=$(meson introspect "$build" --buildoptions | grep -o '"name": "prefix", "value": "[^"]*"' | sed 's/.*"value": "//; s/"$//')
sysconfdir=$(meson introspect "$build" --buildoptions | grep -o '"name": "sysconfdir", "value": "[^"]*"' | sed 's/.*"value": "//; s/"$//')
case "$sysconfdir" in /*) ;; *) sysconfdir="$prefix/$sysconfdir" ;; esac

fail=0
expect() {
  if [ -e "$dest$1" ]; then echo "ok   $1"; else echo "MISSING $1"; fail=1; fi
}
expect "$prefix/sbin/chatroomd"
expect "$prefix/bin/chatroom"
expect "$prefix/bin/chatroom-bench"
expect "$sysconfdir/chatroom/chatroomd.conf"
expect "$prefix/share/man/man8/chatroomd.8"
expect "$prefix/share/man/man1/chatroom.1"
expect "$prefix/share/man/man1/chatroom-bench.1"
service=$(find "$dest" -name chatroomd.service)
socket=$(find "$dest" -name chatroomd.socket)
irc_socket=$(find "$dest" -name chatroomd-irc.socket)
node_service=$(find "$dest" -name 'chatroomd@.service')
[ -n "$service" ] && echo "ok   ${service#$dest}" || { echo "MISSING chatroomd.service"; fail=1; }
[ -n "$socket" ] && echo "ok   ${socket#$dest}" || { echo "MISSING chatroomd.socket"; fail=1; }
[ -n "$irc_socket" ] && echo "ok   ${irc_socket#$dest}" || { echo "MISSING chatroomd-irc.socket"; fail=1; }
[ -n "$node_service" ] && echo "ok   ${node_service#$dest}" || { echo "MISSING chatroomd@.service"; fail=1; }
dropin=$(find "$dest" -name chatroomd-tls.conf)
[ -n "$dropin" ] && echo "ok   ${dropin#$dest}" || { echo "MISSING chatroomd-tls.conf"; fail=1; }
[ "$fail" -eq 0 ] || exit 1
grep -q '^ExecReload=/bin/kill -HUP $MAINPID' "$service" || { echo "no ExecReload sending SIGHUP"; exit 1; }

grep -q "^ExecStart=$prefix/sbin/chatroomd --config $sysconfdir/chatroom/chatroomd.conf" "$service" \
  || { echo "ExecStart does not name the installed paths:"; grep ExecStart "$service"; exit 1; }

# The installed daemon accepts the installed config file.
"$dest$prefix/sbin/chatroomd" --config "$dest$sysconfdir/chatroom/chatroomd.conf" --help >/dev/null

# systemd-analyze checks that ExecStart exists, so point the units at the staged binary.
units=$(mktemp -d)
trap 'rm -rf "$dest" "$units"' EXIT
sed "s|$prefix/sbin/chatroomd|$dest$prefix/sbin/chatroomd|; s|$sysconfdir|$dest$sysconfdir|" "$service" >"$units/chatroomd.service"
cp "$socket" "$units/chatroomd.socket"
cp "$irc_socket" "$units/chatroomd-irc.socket"
# Each socket names the listener it is for (LISTEN_FDNAMES), and both start the one service.
grep -qx 'FileDescriptorName=chat' "$units/chatroomd.socket" || { echo "chatroomd.socket names no listener"; exit 1; }
grep -qx 'FileDescriptorName=irc' "$units/chatroomd-irc.socket" || { echo "chatroomd-irc.socket is not named irc"; exit 1; }
grep -qx 'Service=chatroomd.service' "$units/chatroomd-irc.socket" || { echo "chatroomd-irc.socket starts another service"; exit 1; }
# A template is verified as one of its instances.
sed "s|$prefix/sbin/chatroomd|$dest$prefix/sbin/chatroomd|; s|$sysconfdir|$dest$sysconfdir|" "$node_service" >"$units/chatroomd@1.service"
# The TLS drop-in, merged as systemd merges it ("ExecStart=" empties the list), verified as a unit.
{ cat "$units/chatroomd.service"; grep -v '^#' "$dropin" | sed "s|$prefix/sbin/chatroomd|$dest$prefix/sbin/chatroomd|"; } \
  >"$units/chatroomd-tls.service"
grep -q '^LoadCredential=tls-key:' "$units/chatroomd-tls.service" || { echo "the drop-in loads no key credential"; exit 1; }
output=$(systemd-analyze verify --man=no "$units/chatroomd.service" "$units/chatroomd.socket" "$units/chatroomd-irc.socket" "$units/chatroomd@1.service" \
         "$units/chatroomd-tls.service" 2>&1) \
  || { echo "systemd-analyze verify failed:"; echo "$output"; exit 1; }
[ -z "$output" ] || { echo "systemd-analyze verify warned:"; echo "$output"; exit 1; }
echo "ok   systemd-analyze verify"
for unit in chatroomd.service chatroomd@1.service chatroomd-tls.service; do
  score=$(systemd-analyze security --offline=yes "$units/$unit" 2>&1 | grep "Overall exposure level")
  echo "ok   $score"
  echo "$score" | grep -Eq "(OK|SAFE)" || { echo "hardening score of $unit is not OK"; exit 1; }
done
