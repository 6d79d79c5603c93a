#!/usr/bin/env bash
# Usage: scripts/run.sh [chatroomd options]
# Builds what running needs (chatroomd and the chatroom client, not the tests and benchmarks)
# and runs chatroomd in the foreground (default 127.0.0.1:7000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGETS="chatroomd chatroom:executable" scripts/build.sh build
exec build/daemon/chatroomd "$@"
