#!/usr/bin/env bash
# Usage: scripts/build.sh [BUILD_DIR [meson setup options...]]
# Installs what is missing, configures BUILD_DIR (default build/) once, and compiles it.
# Warnings are errors here (and so in CI); the project's default leaves them to packagers.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:-build}
shift || true

scripts/ensure-deps.sh
if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" -Dwerror=true "$@" >&2
fi
meson compile -C "$build_dir" >&2
