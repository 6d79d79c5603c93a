#!/usr/bin/env bash
# Usage: bench/compare.sh --crosscheck [--clients "1000 5000"] [--repeats R] [--out DIR]
#
# Why load generators disagree about chatroomd against Redis pub/sub: the same closed loop
# (window 64, 64-byte messages, 15,000,000/N broadcasts and 10% more as warm-up), at each N
# receivers (default 1,000), measured by four generators, each against both servers in turn,
# R times (default 5), the order alternating, medians reported with the ratio:
#   bench-lean        chatroom-bench --client-model lean: sender and receivers on one thread,
#                     reads of 256 KiB until EAGAIN;
#   bench-foreign     chatroom-bench --client-model foreign (the default): the sender on a
#                     thread of its own, asleep until the window opens; reads of 16 KiB, one
#                     per readiness;
#   crosscheck-poll   fanout-crosscheck (bench/crosscheck/, written apart from chatroom-bench):
#                     the publisher looks at the subscribers' counts every 20 us;
#   crosscheck-spin   the same, the publisher looking without pause (it spins).
# With the server's CPU per delivery for each. CHATROOMD=PATH measures another build of the
# daemon (say, an earlier commit's). Installs redis-server if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
sizes=(1000)
repeats=5
out=build/compare-crosscheck
parse_options "$@"
install_missing redis-server:redis-server
scripts/build.sh build
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)

rm -f "$out/port"
"${CHATROOMD:-build/daemon/chatroomd}" --port 0 --port-file "$out/port" --no-console --log-level warn --rate-limit 0 \
  >"$out/chatroomd.log" 2>&1 &
chat_pid=$!; pids+=("$chat_pid")
for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.05; done
chat_port=$(cat "$out/port")
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxclients $((fd_limit - 64)) \
  --daemonize no >"$out/redis.log" 2>&1 &
redis_pid=$!; pids+=("$redis_pid")
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.05; done

generators=(bench-lean bench-foreign crosscheck-poll crosscheck-spin)
results=$out/results.tsv
printf 'generator\tserver\tclients\trepeat\tdeliveries_per_s\tcpu_ns_per_delivery\n' >"$results"
run_one() {  # run_one GENERATOR SERVER N REPEAT
  local generator=$1 server=$2 n=$3 repeat=$4 port pid json messages
  if [ "$server" = chatroomd ]; then port=$chat_port; pid=$chat_pid; else port=$redis_port; pid=$redis_pid; fi
  messages=$((15000000 / n))
  case "$generator" in
    bench-*)
      local target="127.0.0.1:$port"; [ "$server" = redis ] && target="redis://127.0.0.1:$port"
      json=$(build/bench/chatroom-bench --client-model "${generator#bench-}" --target "$target" --server-pid "$pid" \
             --clients "$n" --size 64 --rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)) \
             --json -q) || true ;;
    crosscheck-*)
      local poll=20; [ "$generator" = crosscheck-spin ] && poll=0
      local kind=chat; [ "$server" = redis ] && kind=redis
      json=$(build/bench/fanout-crosscheck --target "$kind" --port "$port" --clients "$n" --messages "$messages" \
             --window 64 --poll-us "$poll" --server-pid "$pid") || true ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$generator" "$server" "$n" "$repeat" "$(json_field "$json" deliveries_per_s)" \
    "$(json_field "$json" server_cpu_ns_per_delivery)" >>"$results"
  echo "  $generator $server N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s" >&2
}

for n in "${sizes[@]}"; do
  for repeat in $(seq "$repeats"); do
    for generator in "${generators[@]}"; do
      if [ $((repeat % 2)) -eq 1 ]; then order=(chatroomd redis); else order=(redis chatroomd); fi
      for server in "${order[@]}"; do run_one "$generator" "$server" "$n" "$repeat"; done
    done
  done
done

column_of() {  # column_of GENERATOR SERVER N COLUMN -> the median of that column
  median $(awk -F'\t' -v g="$1" -v s="$2" -v n="$3" -v c="$4" '$1 == g && $2 == s && $3 == n { print $c }' "$results")
}
summary=$out/summary.tsv
printf 'generator\tclients\tchatroomd_deliveries_per_s\tredis_deliveries_per_s\tratio\tchatroomd_cpu_ns\tredis_cpu_ns\n' >"$summary"
echo
echo "closed loop, window 64, 64-byte messages, medians of $repeats, loopback, $(nproc) cores"
printf '%-16s %7s | %15s %15s %6s | %9s %9s\n' generator clients "chatroomd del/s" "redis del/s" ratio "chat CPU" "redis CPU"
for n in "${sizes[@]}"; do
  for generator in "${generators[@]}"; do
    awk -v g="$generator" -v n="$n" -v a="$(column_of "$generator" chatroomd "$n" 5)" \
        -v b="$(column_of "$generator" redis "$n" 5)" -v c="$(column_of "$generator" chatroomd "$n" 6)" \
        -v d="$(column_of "$generator" redis "$n" 6)" -v out="$summary" 'BEGIN {
      printf "%-16s %7d | %15.0f %15.0f %5.2fx | %6.0f ns %6.0f ns\n", g, n, a, b, (b > 0 ? a / b : 0), c, d
      printf "%s\t%d\t%.0f\t%.0f\t%.3f\t%.1f\t%.1f\n", g, n, a, b, (b > 0 ? a / b : 0), c, d >> out }'
  done
done
echo
echo "raw results: $results; medians: $summary"
