#!/usr/bin/env bash
# Usage: scripts/package.sh [OUT_DIR]
# Builds the Debian packages chatroomd and chatroom from this checkout with
# `dpkg-buildpackage -us -uc -b`, without the test suite (DEB_BUILD_OPTIONS=nocheck; the
# packaged code is what scripts/test.sh tests), and runs lintian on the result. The build
# runs in a copy of the source under OUT_DIR (default build-deb/), so the checkout stays
# clean; the .deb, .buildinfo and .changes files and lintian.txt land in OUT_DIR. Installs
# what the build needs (debhelper, lintian, the build dependencies) with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-build-deb}")
version=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null || sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
source_dir="$out/src/chatroom-$version"

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
install_packages() {
  echo "installing $*" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >&2
}
command -v dpkg-buildpackage >/dev/null && command -v lintian >/dev/null && dpkg -s debhelper >/dev/null 2>&1 ||
  install_packages dpkg-dev debhelper lintian

echo "== copy the source to $source_dir"
rm -rf "$out"
mkdir -p "$source_dir"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and new files, as they are in the work tree; nothing ignored (build directories).
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$source_dir"
else
  tar -c --exclude='./build*' --exclude='./.git' . | tar -x -C "$source_dir"
fi

cd "$source_dir"
if ! dpkg-checkbuilddeps -P nocheck >/dev/null 2>&1; then
  echo "installing the build dependencies" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get build-dep -y -qq -P nocheck ./ >&2
fi

echo "== dpkg-buildpackage -us -uc -b (nocheck)"
DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" DEB_BUILD_PROFILES=nocheck \
  dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || {
  tail -n 60 "$out/build.log" >&2
  echo "package: dpkg-buildpackage failed (log: $out/build.log)" >&2
  exit 1
}
cd "$out"
mv src/*.deb src/*.buildinfo src/*.changes . 2>/dev/null || true
mv src/*.ddeb . 2>/dev/null || true

echo "== lintian"
changes=$(ls ./*.changes)
lintian --info --display-info --pedantic "$changes" >lintian.txt 2>&1 || true
cat lintian.txt
ls -1 "$out"/*.deb
