#!/usr/bin/env bash
# Usage: scripts/run.sh [chatroomd options]
# Builds chatroom if needed and runs chatroomd in the foreground (default 127.0.0.1:7000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build
exec build/daemon/chatroomd "$@"
