#!/usr/bin/env bash
# Installs the Debian packages chatroom needs to build and test, only those that are missing.
set -euo pipefail

packages=(g++ meson ninja-build pkg-config libspdlog-dev libcli11-dev libedit-dev libsystemd-dev libhiredis-dev libssl-dev openssl python3 libhttp-parser-dev libwslay-dev python3-prometheus-client python3-websockets scdoc systemd libgtest-dev libgmock-dev libbenchmark-dev tmux
          man-db valgrind clang libclang-rt-14-dev redis-server iproute2 procps
          chromium chromium-driver python3-selenium
          irssi weechat-headless weechat-plugins python3-irc)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing packages: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
