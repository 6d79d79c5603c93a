#!/usr/bin/env bash
# Usage: bench/compare.sh --ab BASELINE_CHATROOMD [--clients "1000 5000"] [--repeats R] [--out DIR] [--client-model M]
#
# A/B of two builds of chatroomd: BASELINE_CHATROOMD (say, a worktree of an earlier commit,
# built with scripts/build.sh) against this tree's build/daemon/chatroomd, both started on
# free loopback ports and loaded in turn, the order alternating each round, R times each
# (default 5), at each N receivers (default 1,000 and 5,000), 64-byte lines:
#   closed  --rate 0 --window 64, 15,000,000/N broadcasts (10% more as warm-up);
#   open    --rate 200 (50 from N = 5,000) for 5 s, one second's worth as warm-up.
# Prints the medians of deliveries/s, p50 and p99 and the server's CPU per delivery for each
# build, and new / baseline; a loss shows as a ratio below 1 (deliveries/s) or above 1 (p99,
# CPU). Raw results in DIR (default build/compare-ab).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then
  [ "${1:-}" = -h ] || [ "${1:-}" = --help ] && { print_usage; exit 0; }
  echo "--ab needs the baseline chatroomd binary first (see --help)" >&2
  exit 2
fi
baseline=$1
shift
[ -x "$baseline" ] || { echo "$baseline: not an executable" >&2; exit 2; }
sizes=(1000 5000)
repeats=5
out=build/compare-ab
parse_options "$@"
scripts/build.sh build
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start_daemon() {  # start_daemon NAME BINARY -> sets DAEMON_PORT and DAEMON_PID
  rm -f "$out/$1.port"
  "$2" --port 0 --port-file "$out/$1.port" --no-console --log-level warn --rate-limit 0 >"$out/$1.log" 2>&1 &
  DAEMON_PID=$!; pids+=("$DAEMON_PID")
  for _ in $(seq 100); do [ -s "$out/$1.port" ] && break; sleep 0.05; done
  [ -s "$out/$1.port" ] || { echo "$1 ($2) did not start: see $out/$1.log" >&2; exit 1; }
  DAEMON_PORT=$(cat "$out/$1.port")
}
start_daemon baseline "$baseline"; base_port=$DAEMON_PORT; base_pid=$DAEMON_PID
start_daemon new build/daemon/chatroomd; new_port=$DAEMON_PORT; new_pid=$DAEMON_PID

results=$out/results.tsv
printf 'build\tmode\tclients\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tcpu_ns_per_delivery\tlost\n' >"$results"
run_one() {  # run_one BUILD MODE N REPEAT
  local build=$1 mode=$2 n=$3 repeat=$4 port pid args json
  if [ "$build" = baseline ]; then port=$base_port; pid=$base_pid; else port=$new_port; pid=$new_pid; fi
  if [ "$mode" = closed ]; then
    local messages=$((15000000 / n))
    args=(--rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)))
  else
    local rate=200; [ "$n" -ge 5000 ] && rate=50
    args=(--rate "$rate" --duration 5 --warmup "$rate")
  fi
  json=$(build/bench/chatroom-bench --client-model "$client_model" --target "127.0.0.1:$port" --server-pid "$pid" \
         --clients "$n" --size 64 --json -q "${args[@]}") || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$build" "$mode" "$n" "$repeat" "$(json_field "$json" deliveries_per_s)" \
    "$(json_percentile "$json" p50)" "$(json_percentile "$json" p99)" \
    "$(json_field "$json" server_cpu_ns_per_delivery)" "$(json_field "$json" lost)" >>"$results"
  echo "  $build $mode N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s," \
       "p99 $(json_percentile "$json" p99) ns, lost $(json_field "$json" lost)" >&2
}

for n in "${sizes[@]}"; do
  for mode in ${AB_MODES:-closed open}; do
    for repeat in $(seq "$repeats"); do
      if [ $((repeat % 2)) -eq 1 ]; then order=(baseline new); else order=(new baseline); fi
      for build in "${order[@]}"; do run_one "$build" "$mode" "$n" "$repeat"; done
    done
  done
done

column_of() {  # column_of BUILD MODE N COLUMN -> the median of that column
  median $(awk -F'\t' -v b="$1" -v m="$2" -v n="$3" -v c="$4" '$1 == b && $2 == m && $3 == n { print $c }' "$results")
}
summary=$out/summary.tsv
printf 'mode\tclients\tbase_deliveries_per_s\tnew_deliveries_per_s\tbase_p99_ms\tnew_p99_ms\tbase_cpu_ns\tnew_cpu_ns\n' >"$summary"
echo
echo "medians of $repeats, 64-byte lines, $client_model clients, loopback, $(nproc) cores; baseline: $baseline"
printf '%-6s %6s | %13s %13s %6s | %9s %9s %6s | %8s %8s %6s\n' mode clients "base del/s" "new del/s" new/b \
  "base p99" "new p99" new/b "base CPU" "new CPU" new/b
for n in "${sizes[@]}"; do
  for mode in ${AB_MODES:-closed open}; do
    awk -v m="$mode" -v n="$n" -v a="$(column_of baseline "$mode" "$n" 5)" -v b="$(column_of new "$mode" "$n" 5)" \
        -v c="$(column_of baseline "$mode" "$n" 7)" -v d="$(column_of new "$mode" "$n" 7)" \
        -v e="$(column_of baseline "$mode" "$n" 8)" -v f="$(column_of new "$mode" "$n" 8)" -v out="$summary" 'BEGIN {
      printf "%-6s %6d | %13.0f %13.0f %5.2fx | %6.2f ms %6.2f ms %5.2fx | %5.0f ns %5.0f ns %5.2fx\n", m, n, a, b,
             (a > 0 ? b / a : 0), c / 1e6, d / 1e6, (c > 0 ? d / c : 0), e, f, (e > 0 ? f / e : 0)
      printf "%s\t%d\t%.0f\t%.0f\t%.3f\t%.3f\t%.1f\t%.1f\n", m, n, a, b, c / 1e6, d / 1e6, e, f >> out }'
  done
done
# Each round runs both builds back to back, so the machine's drift between rounds (this kind
# of shared machine moves 10 to 20% from run to run) cancels in the ratio of a round's pair.
echo
echo "median of each round's new / baseline (the pairs ran back to back):"
for n in "${sizes[@]}"; do
  for mode in ${AB_MODES:-closed open}; do
    rates=$(awk -F'\t' -v m="$mode" -v n="$n" '$2 == m && $3 == n { rate[$1, $4] = $5; cpu[$1, $4] = $8; r[$4] = 1 }
      END { for (k in r) if (rate["baseline", k] > 0) print rate["new", k] / rate["baseline", k] }' "$results")
    cpus=$(awk -F'\t' -v m="$mode" -v n="$n" '$2 == m && $3 == n { cpu[$1, $4] = $8; r[$4] = 1 }
      END { for (k in r) if (cpu["baseline", k] > 0) print cpu["new", k] / cpu["baseline", k] }' "$results")
    printf '  %-6s N=%-6s deliveries/s %.2fx, CPU per delivery %.2fx\n' "$mode" "$n" "$(median $rates)" "$(median $cpus)"
  done
done
echo
echo "raw results: $results; medians: $summary"
