#!/usr/bin/env bash
# Usage: bench/compare.sh --ws [--clients "1000 5000"] [--repeats R] [--out DIR] [--client-model M]
#
# What WebSocket framing costs, at each N receivers (default 1,000), closed loop (window 64),
# 64-byte lines, R times each (default 5), alternating the order, medians reported:
#   plain   chatroomd's plain port (newline-framed lines over TCP);
#   ws      the same daemon's --http-port, every client a WebSocket (chatroom-bench --proto ws).
# For each: deliveries/s, p50 and p99 per delivery and the server's CPU per delivery, then the
# ratios WebSocket / plain (target: deliveries/s and CPU per delivery within 20%).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
sizes=(1000)
repeats=5
out=build/compare-ws
parse_options "$@"
scripts/build.sh build
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

rm -f "$out/port" "$out/http-port"
build/daemon/chatroomd --port 0 --port-file "$out/port" --http-port 0 --http-port-file "$out/http-port" \
  --no-console --log-level info --rate-limit 0 >"$out/chatroomd.log" 2>&1 &
pid=$!; pids+=("$pid")
for _ in $(seq 100); do [ -s "$out/http-port" ] && [ -s "$out/port" ] && break; sleep 0.05; done
port=$(cat "$out/port"); http_port=$(cat "$out/http-port")
setups=(plain ws)


results=$out/results.tsv
printf 'setup\tclients\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tcpu_ns_per_delivery\tlost\n' >"$results"
run_one() {  # run_one SETUP N REPEAT
  local setup=$1 n=$2 repeat=$3 proto json messages
  case "$setup" in
    plain) proto=(--proto chat --target "127.0.0.1:$port") ;;
    ws) proto=(--proto ws --target "127.0.0.1:$http_port") ;;
  esac
  messages=$((15000000 / n))
  json=$(build/bench/chatroom-bench --client-model "$client_model" "${proto[@]}" --server-pid "$pid" --clients "$n" --size 64 --rate 0 --window 64 \
         --messages "$messages" --warmup $((messages / 10)) --json -q) || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$n" "$repeat" "$(json_field "$json" deliveries_per_s)" \
    "$(json_percentile "$json" p50)" "$(json_percentile "$json" p99)" \
    "$(json_field "$json" server_cpu_ns_per_delivery)" "$(json_field "$json" lost)" >>"$results"
  echo "  $setup N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s, lost $(json_field "$json" lost)" >&2
}

for n in "${sizes[@]}"; do
  for repeat in $(seq "$repeats"); do
    # Alternate the order each round, so drift in the machine's state favours neither.
    if [ $((repeat % 2)) -eq 0 ]; then order=(ws plain); else order=(plain ws); fi
    for setup in "${order[@]}"; do run_one "$setup" "$n" "$repeat"; done
  done
done

column_of() {  # column_of SETUP N COLUMN -> the median of that column
  median $(awk -F'\t' -v s="$1" -v n="$2" -v c="$3" '$1 == s && $2 == n { print $c }' "$results")
}
summary=$out/summary.tsv
printf 'setup\tclients\tdeliveries_per_s\tp50_ms\tp99_ms\tcpu_us_per_delivery\n' >"$summary"
echo
echo "medians of $repeats, closed loop, window 64, 64-byte lines, loopback, $(nproc) cores"
printf '%-6s %7s | %13s | %9s %9s | %12s\n' setup clients "deliveries/s" p50 p99 "CPU/delivery"
for n in "${sizes[@]}"; do
  for setup in "${setups[@]}"; do
    awk -v s="$setup" -v n="$n" -v a="$(column_of "$setup" "$n" 4)" -v b="$(column_of "$setup" "$n" 5)" \
        -v c="$(column_of "$setup" "$n" 6)" -v d="$(column_of "$setup" "$n" 7)" -v out="$summary" 'BEGIN {
      printf "%-6s %7d | %13.0f | %6.2f ms %6.2f ms | %9.3f us\n", s, n, a, b / 1e6, c / 1e6, d / 1e3
      printf "%s\t%d\t%.0f\t%.3f\t%.3f\t%.3f\n", s, n, a, b / 1e6, c / 1e6, d / 1e3 >> out }'
  done
  awk -F'\t' -v n="$n" '$2 == n { rate[$1] = $3; cpu[$1] = $6 } END {
    printf "  N=%d: WebSocket / plain deliveries/s %.2fx (target >= 0.80x); CPU per delivery %.2fx (target <= 1.20x)\n",
      n, rate["ws"] / rate["plain"], cpu["ws"] / cpu["plain"] }' "$summary"
done
echo
echo "raw results: $results; medians: $summary"
