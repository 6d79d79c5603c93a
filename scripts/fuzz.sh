#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [SECONDS] [libFuzzer options...]
# Builds the fuzzers with clang, libFuzzer, ASan and UBSan in build-fuzz/ and runs each for
# SECONDS (default 30), seeded with its checked-in corpus:
#   protocol_fuzzer   the framer, sanitiser, encoder and line parsers (fuzz/corpus/protocol);
#   websocket_fuzzer  what a WebSocket client can send after the upgrade (fuzz/corpus/websocket);
#   irc_fuzzer        the IRC message parser, on any lines (fuzz/corpus/irc).
# New inputs go to build-fuzz/corpus-new/NAME (merge the useful ones into the checked-in corpus
# with `build-fuzz/fuzz/NAME_fuzzer -merge=1 fuzz/corpus/NAME build-fuzz/corpus-new/NAME`).
# A failing input is saved in build-fuzz/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true

echo "== fuzz the protocol, WebSocket and IRC code for ${seconds} s each (build-fuzz/)"
scripts/ensure-deps.sh
if [ ! -f build-fuzz/build.ninja ]; then
  CXX=clang++ meson setup build-fuzz -Dwerror=true -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dtests=false -Dbenchmarks=disabled -Dman=disabled >&2
fi
meson compile -C build-fuzz fuzz/protocol_fuzzer fuzz/websocket_fuzzer fuzz/irc_fuzzer >&2

# Lines of a few hundred bytes reach every state of the framer and sanitiser; frames need room
# for a fragmented message past the smallest size limit; IRC lines for tags past their 4 KiB.
for target in protocol:512 websocket:4096 irc:8192; do
  name=${target%%:*}
  max_len=${target##*:}
  mkdir -p "build-fuzz/corpus-new/$name"
  status=0
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz/${name}_fuzzer" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
      -artifact_prefix=build-fuzz/ "$@" "build-fuzz/corpus-new/$name" "fuzz/corpus/$name" > "build-fuzz/fuzz-$name.log" 2>&1 ||
    status=$?
  echo "-- ${name}_fuzzer"
  grep -E '^(INFO: seed corpus|#[0-9]+ +(INITED|DONE)|Done |stat::number_of_executed_units|stat::peak_rss_mb)' \
    "build-fuzz/fuzz-$name.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "build-fuzz/fuzz-$name.log" >&2
    echo "fuzz: ${name}_fuzzer failed (exit $status): the failing input is saved as build-fuzz/crash-* (details above)" >&2
    exit 1
  fi
done
