#!/usr/bin/env bash
# Usage: scripts/test.sh
# Builds and runs the whole test suite (the daemon under valgrind memcheck included), builds
# and runs it again in the release build type (what packagers build), fuzzes
# the protocol code with libFuzzer for FUZZ_SECONDS (default 30), runs the suite again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then builds the Debian packages and checks
# them (tests/package_test.sh; as root it installs, removes and purges them). Exits non-zero
# on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build and test (build/)"
scripts/build.sh build
meson test -C build --print-errorlogs

echo "== build and test the release build type (build-release/: -O3, NDEBUG)"
scripts/build.sh build-release -Dbuildtype=release
meson test -C build-release --print-errorlogs

scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

echo "== build and test under ASan+UBSan (build-sanitize/)"
scripts/build.sh build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-sanitize --print-errorlogs

echo "== build the Debian packages and check them (build-deb/)"
tests/package_test.sh build-deb
