#!/usr/bin/env bash
# Usage: [BUILD_TARGETS="chatroomd chatroom:executable"] scripts/build.sh [BUILD_DIR [meson setup options...]]
# Installs what is missing, configures BUILD_DIR (default build/) once, and compiles it: all
# of it, or only BUILD_TARGETS (meson target names).
# Warnings are errors here (and so in CI); the project's default leaves them to packagers.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:-build}
shift || true

scripts/ensure-deps.sh
if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" -Dwerror=true "$@" >&2
fi
read -r -a targets <<<"${BUILD_TARGETS:-}"
meson compile -C "$build_dir" "${targets[@]}" >&2
