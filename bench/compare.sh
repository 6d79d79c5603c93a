#!/usr/bin/env bash
# Usage: bench/compare.sh [--quick] [--clients "N..."] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --cluster [--clients N] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --tls [--clients "N..."] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --ws [--clients "N..."] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --irc [--clients "N..."] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --ab BASELINE_CHATROOMD [--clients "N..."] [--repeats R] [--out DIR] [--client-model M]
#        bench/compare.sh --crosscheck [--clients "N..."] [--repeats R] [--out DIR]
#
# Runs the same fan-out scenarios against chatroomd and Redis pub/sub on free loopback ports,
# alternating between the two, R times each (default 3), and prints the medians side by side
# with their ratio. Receivers default to 100, 1,000, 5,000 and (with the descriptors for it)
# 10,000. The clients behave as a foreign client program would (chatroom-bench
# --client-model foreign, the default; lean for the tool's cheapest loop). Writes the raw
# results (TSV) and a plot (PNG) into DIR (default build/compare). Installs redis-server and
# gnuplot-nox with apt-get if they are missing.
# With --cluster it compares, at N receivers (default 1000): one chatroomd alone, two nodes
# over Redis (receivers spread over both, the sender on the first), and clients on Redis
# pub/sub directly (see bench/compare_cluster.sh). With --tls it compares chatroomd plain, over
# TLS in userspace and with kernel TLS (where offered), and Redis over TLS (bench/compare_tls.sh).
# With --ws it compares the same daemon's plain clients with WebSocket clients (bench/compare_ws.sh).
# With --irc it compares chatroomd's IRC listener with ngIRCd and InspIRCd, and with its own plain
# port (bench/compare_irc.sh).
# With --ab it compares another build of chatroomd with this one (bench/compare_ab.sh). With
# --crosscheck it measures both servers with four load generators, to show why they disagree
# (bench/compare_crosscheck.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
if [ "${1:-}" = --cluster ]; then shift; exec bench/compare_cluster.sh "$@"; fi
if [ "${1:-}" = --tls ]; then shift; exec bench/compare_tls.sh "$@"; fi
if [ "${1:-}" = --ws ]; then shift; exec bench/compare_ws.sh "$@"; fi
if [ "${1:-}" = --irc ]; then shift; exec bench/compare_irc.sh "$@"; fi
if [ "${1:-}" = --ab ]; then shift; exec bench/compare_ab.sh "$@"; fi
if [ "${1:-}" = --crosscheck ]; then shift; exec bench/compare_crosscheck.sh "$@"; fi
sizes=()
parse_options "$@"
install_missing redis-server:redis-server gnuplot:gnuplot-nox
scripts/build.sh build
mkdir -p "$out"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
if [ ${#sizes[@]} -eq 0 ] && [ "$quick" -eq 1 ]; then
  sizes=(100 1000)
elif [ ${#sizes[@]} -eq 0 ]; then
  sizes=(100 1000 5000)
  # Each side of a 10,000-client run needs its own 10,000 descriptors plus some.
  [ "$fd_limit" -ge 10200 ] && sizes+=(10000)
fi



port_file=$(mktemp)
build/daemon/chatroomd --port 0 --port-file "$port_file" --no-console --log-level warn --rate-limit 0 >"$out/chatroomd.log" 2>&1 &
chat_pid=$!; pids+=("$chat_pid")
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.05; done
chat_port=$(cat "$port_file")

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxclients $((fd_limit - 64)) \
  --daemonize no >"$out/redis.log" 2>&1 &
redis_pid=$!; pids+=("$redis_pid")
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.05
done

results="$out/results.tsv"
printf 'server\tmode\tclients\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tcpu_ns_per_delivery\tlost\n' >"$results"

run_one() {  # run_one SERVER MODE N REPEAT
  local server=$1 mode=$2 n=$3 repeat=$4 target pid args json
  if [ "$server" = chatroomd ]; then target="127.0.0.1:$chat_port"; pid=$chat_pid
  else target="redis://127.0.0.1:$redis_port"; pid=$redis_pid; fi
  if [ "$mode" = closed ]; then
    local messages=$((15000000 / n))
    args=(--rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)))
  else
    local rate=200; [ "$n" -ge 5000 ] && rate=50
    args=(--rate "$rate" --duration 5 --warmup "$rate")
  fi
  json=$(build/bench/chatroom-bench --client-model "$client_model" --target "$target" --server-pid "$pid" --clients "$n" --size 64 --json -q \
         "${args[@]}") || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$mode" "$n" "$repeat" \
    "$(json_field "$json" deliveries_per_s)" "$(json_percentile "$json" p50)" \
    "$(json_percentile "$json" p99)" "$(json_field "$json" server_cpu_ns_per_delivery)" \
    "$(json_field "$json" lost)" >>"$results"
  echo "  $server $mode N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s," \
       "p99 $(json_percentile "$json" p99) ns, lost $(json_field "$json" lost)" >&2
}

for n in "${sizes[@]}"; do
  for mode in closed open; do
    for repeat in $(seq "$repeats"); do
      # Alternate which server goes first, so drift in the machine's state favours neither.
      if [ $((repeat % 2)) -eq 1 ]; then order=(chatroomd redis); else order=(redis chatroomd); fi
      for server in "${order[@]}"; do run_one "$server" "$mode" "$n" "$repeat"; done
    done
  done
done

column_of() {  # column_of SERVER MODE N COLUMN -> the median of that column
  median $(awk -F'\t' -v s="$1" -v m="$2" -v n="$3" -v c="$4" '$1 == s && $2 == m && $3 == n { print $c }' "$results")
}
summary="$out/summary.tsv"
printf 'mode\tclients\tchatroomd_deliveries_per_s\tredis_deliveries_per_s\tchatroomd_p50_ms\tredis_p50_ms\tchatroomd_p99_ms\tredis_p99_ms\tchatroomd_cpu_us\tredis_cpu_us\n' >"$summary"
echo
printf '%-8s %7s | %15s %15s %6s | %10s %10s | %10s %10s | %9s %9s\n' mode clients "chatroomd del/s" "redis del/s" ratio \
  "chat p50" "redis p50" "chat p99" "redis p99" "chat CPU" "redis CPU"
for mode in closed open; do
  for n in "${sizes[@]}"; do
    cd_rate=$(column_of chatroomd "$mode" "$n" 5); rd_rate=$(column_of redis "$mode" "$n" 5)
    cd_p50=$(column_of chatroomd "$mode" "$n" 6); rd_p50=$(column_of redis "$mode" "$n" 6)
    cd_p99=$(column_of chatroomd "$mode" "$n" 7); rd_p99=$(column_of redis "$mode" "$n" 7)
    cd_cpu=$(column_of chatroomd "$mode" "$n" 8); rd_cpu=$(column_of redis "$mode" "$n" 8)
    awk -v m="$mode" -v n="$n" -v a="$cd_rate" -v b="$rd_rate" -v c="$cd_p50" -v d="$rd_p50" -v e="$cd_p99" \
        -v f="$rd_p99" -v g="$cd_cpu" -v h="$rd_cpu" -v out="$summary" 'BEGIN {
      printf "%-8s %7d | %15.0f %15.0f %5.2fx | %7.2f ms %7.2f ms | %7.2f ms %7.2f ms | %6.3f us %6.3f us\n",
             m, n, a, b, (b > 0 ? a / b : 0), c / 1e6, d / 1e6, e / 1e6, f / 1e6, g / 1e3, h / 1e3
      printf "%s\t%d\t%.0f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", m, n, a, b, c / 1e6, d / 1e6, e / 1e6,
             f / 1e6, g / 1e3, h / 1e3 >> out }'
  done
done

gnuplot <<GNUPLOT
set terminal pngcairo size 1200,480 font ",11"
set output "$out/compare.png"
set multiplot layout 1,2 title "chatroomd vs Redis pub/sub, 1 publisher, 64-byte payloads, $client_model clients, loopback ($(nproc) cores)"
set logscale x
set grid
set key top right
set datafile separator "\t"
set yrange [0:*]
set xlabel "receivers (N)"
set title "closed loop (window 64): deliveries per second"
set ylabel "deliveries/s"
set format y "%.1s%c"
plot "< awk -F'\t' '\$1 == \"closed\"' $summary" using 2:3 with linespoints lw 2 pt 7 title "chatroomd", \
     "" using 2:4 with linespoints lw 2 pt 5 title "redis"
set title "open loop (200/s; 50/s for N >= 5000): p99 delivery latency"
set ylabel "p99 latency (ms)"
set format y "%g"
plot "< awk -F'\t' '\$1 == \"open\"' $summary" using 2:7 with linespoints lw 2 pt 7 title "chatroomd", \
     "" using 2:8 with linespoints lw 2 pt 5 title "redis"
unset multiplot
GNUPLOT
echo
echo "raw results: $results; medians: $summary; plot: $out/compare.png"
