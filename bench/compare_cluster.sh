#!/usr/bin/env bash
# Usage: bench/compare.sh --cluster [--clients N] [--repeats R] [--out DIR] [--client-model M]
#
# What sharing rooms through Redis costs, at N receivers (default 1000), R times each
# (default 3), alternating the order, medians reported:
#   alone    one chatroomd, every receiver and the sender on it;
#   cluster  two chatroomd nodes over one Redis, receivers spread over both, the sender on the
#            first: its receivers get same-node deliveries, the second node's cross-node ones;
#   redis    the same clients on Redis pub/sub directly, the anchor;
#   sending, receiving  (closed loop only) every receiver on the first node, or every receiver
#            on the second and the sender alone on the first: a node's CPU per delivery with the
#            cluster's work added and nothing else changed, against alone's.
# For each: closed-loop deliveries/s (window 64) with p50 and p99 per delivery, each server's
# CPU per delivery it made, Redis's CPU and PUBLISH calls per line (from INFO), and the
# open-loop latency at 100 lines/s, same-node against cross-node. Results go to DIR (default
# build/compare-cluster). Installs redis-server with apt-get if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
sizes=(1000)
repeats=3
out=build/compare-cluster
parse_options "$@"
if [ ${#sizes[@]} -ne 1 ]; then echo "--cluster compares at one size: --clients N" >&2; exit 2; fi
clients=${sizes[0]}
install_missing redis-server:redis-server
scripts/build.sh build
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)


start_redis() {  # start_redis NAME -> sets REDIS_PORT and REDIS_PID
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxclients $((fd_limit - 64)) \
    --daemonize no >"$out/$1.log" 2>&1 &
  REDIS_PID=$!; pids+=("$REDIS_PID")
  for _ in $(seq 100); do
    [ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ] && return
    sleep 0.05
  done
  echo "redis-server did not start" >&2; exit 1
}
start_node() {  # start_node NAME ARGS... -> sets NODE_PORT and NODE_PID
  local name=$1 port_file; shift
  port_file=$(mktemp)
  build/daemon/chatroomd --port 0 --port-file "$port_file" --no-console --log-level warn --rate-limit 0 "$@" \
    >"$out/$name.log" 2>&1 &
  NODE_PID=$!; pids+=("$NODE_PID")
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.05; done
  NODE_PORT=$(cat "$port_file")
}

start_node alone; alone_port=$NODE_PORT; alone_pid=$NODE_PID
start_redis redis-bus; bus_port=$REDIS_PORT; bus_pid=$REDIS_PID
start_node node-a --cluster "redis://127.0.0.1:$bus_port" --node-name a; a_port=$NODE_PORT; a_pid=$NODE_PID
start_node node-b --cluster "redis://127.0.0.1:$bus_port" --node-name b; b_port=$NODE_PORT; b_pid=$NODE_PID
start_redis redis-direct; direct_port=$REDIS_PORT; direct_pid=$REDIS_PID
grep -q "joined the cluster" "$out/node-a.log" 2>/dev/null || sleep 1

target_fragment() {  # target_fragment JSON INDEX -> that target's object
  grep -o '{"target":"[^"]*","deliveries":[0-9]*,"latency_ns":{[^}]*}}' <<<"$1" | sed -n "$(($2 + 1))p"
}
redis_info() {  # redis_info PORT -> "cpu_seconds publish_calls"
  local info; info=$(redis-cli -p "$1" INFO all | tr -d '\r')
  local user sys calls
  user=$(grep '^used_cpu_user:' <<<"$info" | cut -d: -f2); sys=$(grep '^used_cpu_sys:' <<<"$info" | cut -d: -f2)
  calls=$(grep '^cmdstat_publish:' <<<"$info" | grep -o 'calls=[0-9]*' | cut -d= -f2)
  echo "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') ${calls:-0}"
}

results="$out/results.tsv"
printf 'setup\tmode\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tsame_p50_ns\tsame_p99_ns\tcross_p50_ns\tcross_p99_ns\tcpu_ns_per_delivery\tnode_a_cpu_ns_per_delivery\tnode_b_cpu_ns_per_delivery\tredis_cpu_us_per_line\tpublishes_per_line\tlost\n' >"$results"

bench=build/bench/chatroom-bench
run_one() {  # run_one SETUP MODE REPEAT
  local setup=$1 mode=$2 repeat=$3 args=() json before after lines
  if [ "$mode" = closed ]; then
    local messages=$((15000000 / clients))
    args=(--rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)))
  else
    args=(--rate 100 --duration 5 --warmup 100)
  fi
  case $setup in
    alone) args+=(--target "127.0.0.1:$alone_port" --server-pid "$alone_pid") ;;
    sending) args+=(--targets "127.0.0.1:$a_port" --server-pid "$a_pid") ;;
    receiving) args+=(--target "127.0.0.1:$a_port" --targets "127.0.0.1:$b_port" --server-pid "$b_pid") ;;
    cluster) args+=(--targets "127.0.0.1:$a_port,127.0.0.1:$b_port" --server-pid "$a_pid" --server-pid "$b_pid") ;;
    redis) args+=(--target "redis://127.0.0.1:$direct_port" --server-pid "$direct_pid") ;;
  esac
  before=$(redis_info "$bus_port")
  json=$("$bench" --clients "$clients" --size 64 --json -q "${args[@]}") || true
  after=$(redis_info "$bus_port")
  local deliveries broadcasts warmup cpu_a cpu_b same cross a_deliveries b_deliveries
  deliveries=$(json_field "$json" deliveries); broadcasts=$(json_field "$json" broadcasts)
  warmup=$(json_field "$json" warmup_broadcasts)
  local row_cpu_a="" row_cpu_b="" redis_cpu="" publishes="" same_p50="" same_p99="" cross_p50="" cross_p99=""
  if [ "$setup" = cluster ]; then
    same=$(target_fragment "$json" 0); cross=$(target_fragment "$json" 1)
    same_p50=$(json_percentile "$same" p50); same_p99=$(json_percentile "$same" p99)
    cross_p50=$(json_percentile "$cross" p50); cross_p99=$(json_percentile "$cross" p99)
    a_deliveries=$(json_field "$same" deliveries); b_deliveries=$(json_field "$cross" deliveries)
    cpu_a=$(grep -o '"server_cpu_each_s":\[[^]]*\]' <<<"$json" | sed 's/.*\[\(.*\)\]/\1/' | cut -d, -f1)
    cpu_b=$(grep -o '"server_cpu_each_s":\[[^]]*\]' <<<"$json" | sed 's/.*\[\(.*\)\]/\1/' | cut -d, -f2)
    row_cpu_a=$(awk -v c="$cpu_a" -v d="$a_deliveries" 'BEGIN { print (d > 0 ? c * 1e9 / d : 0) }')
    row_cpu_b=$(awk -v c="$cpu_b" -v d="$b_deliveries" 'BEGIN { print (d > 0 ? c * 1e9 / d : 0) }')
    # Redis's work between the two INFO calls, per line published (warm-up lines included).
    # Each client's join and leave is a PUBLISH too: 2 (N + 1) of them, not counted as lines'.
    lines=$((broadcasts + warmup))
    redis_cpu=$(awk -v b="${before% *}" -v a="${after% *}" -v n="$lines" 'BEGIN { print (a - b) * 1e6 / n }')
    publishes=$(awk -v b="${before#* }" -v a="${after#* }" -v n="$lines" -v c="$clients" \
                'BEGIN { print (a - b - 2 * (c + 1)) / n }')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$mode" "$repeat" \
    "$(json_field "$json" deliveries_per_s)" \
    "$(json_percentile "$(grep -o '"latency_ns":{[^}]*}' <<<"$json" | head -n 1)" p50)" \
    "$(json_percentile "$(grep -o '"latency_ns":{[^}]*}' <<<"$json" | head -n 1)" p99)" \
    "$same_p50" "$same_p99" "$cross_p50" "$cross_p99" "$(json_field "$json" server_cpu_ns_per_delivery)" \
    "$row_cpu_a" "$row_cpu_b" "$redis_cpu" "$publishes" "$(json_field "$json" lost)" >>"$results"
  echo "  $setup $mode run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s, lost $(json_field "$json" lost)" >&2
}

for repeat in $(seq "$repeats"); do
  for mode in closed open; do
    if [ $((repeat % 2)) -eq 1 ]; then order=(alone sending receiving cluster redis); else order=(redis cluster receiving sending alone); fi
    for setup in "${order[@]}"; do
      [ "$mode" = open ] && { [ "$setup" = sending ] || [ "$setup" = receiving ]; } && continue
      run_one "$setup" "$mode" "$repeat"
    done
  done
done

col() {  # col SETUP MODE COLUMN -> median
  median $(awk -F'\t' -v s="$1" -v m="$2" -v c="$3" '$1 == s && $2 == m && $c != "" { print $c }' "$results")
}
ms() { awk -v v="$1" 'BEGIN { printf "%.3f ms", v / 1e6 }'; }
us() { awk -v v="$1" 'BEGIN { printf "%.3f us", v / 1e3 }'; }
echo
echo "N = $clients receivers, 1 sender, 64-byte payloads, medians of $repeats ($(nproc) cores)"
echo "closed loop (window 64):"
for setup in alone cluster redis; do
  printf '  %-8s %12.0f deliveries/s   p50 %s   p99 %s   CPU per delivery %s\n' "$setup" "$(col "$setup" closed 4)" \
    "$(ms "$(col "$setup" closed 5)")" "$(ms "$(col "$setup" closed 6)")" "$(us "$(col "$setup" closed 11)")"
done
awk -v c="$(col cluster closed 4)" -v r="$(col redis closed 4)" 'BEGIN { printf "  two nodes over Redis / Redis pub/sub directly: %.2fx\n", c / r }'
awk -v a="$(col alone closed 11)" -v na="$(col cluster closed 12)" -v nb="$(col cluster closed 13)" 'BEGIN {
  printf "  CPU per local delivery, receivers split: alone %.3f us, node a (sender'"'"'s) %.3f us (%+.1f%%), node b %.3f us (%+.1f%%)\n",
         a / 1e3, na / 1e3, (na / a - 1) * 100, nb / 1e3, (nb / a - 1) * 100 }'
awk -v a="$(col alone closed 11)" -v s="$(col sending closed 11)" -v r="$(col receiving closed 11)" 'BEGIN {
  printf "  CPU per delivery, all N receivers on one node: alone %.3f us, the sending node %.3f us (%+.1f%%), a receiving node %.3f us (%+.1f%%)\n",
         a / 1e3, s / 1e3, (s / a - 1) * 100, r / 1e3, (r / a - 1) * 100 }'
printf '  Redis per line: %s CPU (clients joining and leaving included), %s PUBLISH calls (not counting their joins and leaves)\n' \
  "$(col cluster closed 14) us" "$(col cluster closed 15)"
echo "open loop (100 lines/s, 5 s):"
printf '  alone    p50 %s   p99 %s\n' "$(ms "$(col alone open 5)")" "$(ms "$(col alone open 6)")"
awk -v a="$(col alone open 11)" -v na="$(col cluster open 12)" -v nb="$(col cluster open 13)" 'BEGIN {
  printf "  CPU per local delivery: alone %.3f us, node a (sender'"'"'s) %.3f us (%+.1f%%), node b %.3f us (%+.1f%%)\n",
         a / 1e3, na / 1e3, (na / a - 1) * 100, nb / 1e3, (nb / a - 1) * 100 }'
printf '  cluster  same node p50 %s   p99 %s; cross node p50 %s   p99 %s\n' "$(ms "$(col cluster open 7)")" \
  "$(ms "$(col cluster open 8)")" "$(ms "$(col cluster open 9)")" "$(ms "$(col cluster open 10)")"
awk -v s50="$(col cluster open 7)" -v s99="$(col cluster open 8)" -v c50="$(col cluster open 9)" -v c99="$(col cluster open 10)" 'BEGIN {
  printf "  a cross-node delivery adds %.3f ms at p50 and %.3f ms at p99\n", (c50 - s50) / 1e6, (c99 - s99) / 1e6 }'
printf '  redis    p50 %s   p99 %s\n' "$(ms "$(col redis open 5)")" "$(ms "$(col redis open 6)")"
echo
echo "raw results: $results"
