#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [SECONDS] [libFuzzer options...]
# Builds fuzz/protocol_fuzzer with clang, libFuzzer, ASan and UBSan in build-fuzz/ and runs it
# for SECONDS (default 30), seeded with the checked-in corpus fuzz/corpus/protocol. New inputs
# go to build-fuzz/corpus-new (merge the useful ones into the checked-in corpus with
# `build-fuzz/fuzz/protocol_fuzzer -merge=1 fuzz/corpus/protocol build-fuzz/corpus-new`).
# A failing input is saved in build-fuzz/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true

echo "== fuzz the protocol code for ${seconds} s (build-fuzz/)"
scripts/ensure-deps.sh
if [ ! -f build-fuzz/build.ninja ]; then
  CXX=clang++ meson setup build-fuzz -Dwerror=true -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dtests=false -Dbenchmarks=disabled -Dman=disabled >&2
fi
meson compile -C build-fuzz fuzz/protocol_fuzzer >&2

mkdir -p build-fuzz/corpus-new
# Lines of a few hundred bytes are enough to reach every state of the framer and sanitiser.
status=0
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-fuzz/fuzz/protocol_fuzzer -max_total_time="$seconds" -max_len=512 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/ "$@" build-fuzz/corpus-new fuzz/corpus/protocol > build-fuzz/fuzz.log 2>&1 ||
  status=$?
grep -E '^(INFO: seed corpus|#[0-9]+ +(INITED|DONE)|Done |stat::number_of_executed_units|stat::peak_rss_mb)' build-fuzz/fuzz.log || true
if [ "$status" -ne 0 ]; then
  tail -n 60 build-fuzz/fuzz.log >&2
  echo "fuzz: the fuzzer failed (exit $status): the failing input is saved as build-fuzz/crash-* (details above)" >&2
  exit 1
fi
