#!/usr/bin/env bash
# Usage: bench/compare.sh --irc [--clients "1000 5000"] [--modes "closed open"]
#                              [--servers "chatroomd ngircd inspircd line"] [--repeats R] [--out DIR]
#                              [--client-model M]
#
# chatroomd's IRC listener against the IRC servers people run, from Debian: ngIRCd 26 and
# InspIRCd 3, each set up as bench/irc_peers/ says (connection limits, penalties and fakelag
# off, so only speed is measured), and the same chatroomd's plain port. At each N receivers
# (default 1,000 and 5,000), every client registers and joins #bench, one sender PRIVMSGs
# 64-byte lines to it; closed loop (window 64) and open loop (200/s; 50/s from N = 5,000; --modes
# picks),
# R times each (default 5), the order rotating each round, medians reported:
#   chatroomd   chatroomd's --irc-port
#   ngircd      ngIRCd, connecting 8 at a time (its listen backlog is 10)
#   inspircd    InspIRCd, connecting 256 at a time (it registers clients on a 1-second tick)
#   line        chatroomd's plain port, the same load in its line protocol
# --servers runs some of them only (chatroomd and line: IRC against plain clients). Then the targets: closed loop chatroomd >= 3x the faster peer; open-loop p99 below both at no
# more CPU per delivery; IRC within 10% of line clients' deliveries/s. Installs ngircd,
# inspircd and gnuplot-nox with apt-get if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
sizes=(1000 5000)
repeats=5
out=build/compare-irc
modes=(closed open)
servers=(chatroomd ngircd inspircd line)
options=()
while [ $# -gt 0 ]; do
  if [ "$1" = --modes ] && [ $# -ge 2 ]; then read -r -a modes <<<"$2"; shift 2; continue; fi
  if [ "$1" = --servers ] && [ $# -ge 2 ]; then read -r -a servers <<<"$2"; shift 2; continue; fi
  options+=("$1"); shift
done
for mode in "${modes[@]}"; do
  case "$mode" in closed|open) ;; *) echo "--modes: closed and/or open, not $mode" >&2; exit 2 ;; esac
done
for server in "${servers[@]}"; do
  case "$server" in chatroomd|ngircd|inspircd|line) ;; *) echo "--servers: chatroomd, ngircd, inspircd or line, not $server" >&2; exit 2 ;; esac
done
parse_options "${options[@]}"
install_missing ngircd:ngircd inspircd:inspircd
scripts/build.sh build
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for n in "${sizes[@]}"; do
  if [ $((n + 200)) -gt "$(ulimit -n)" ]; then
    echo "N=$n needs $((n + 200)) descriptors; the limit is $(ulimit -n) (raise it with ulimit -n)" >&2; exit 2
  fi
done

wait_for_port() {  # wait_for_port PORT NAME LOG
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    sleep 0.05
  done
  echo "$2 did not listen on port $1; its log:" >&2; tail -n 20 "$3" >&2; exit 1
}
# fill_in TEMPLATE PORT OUTPUT: the template with its @PORT@ and @DIR@ filled in.
fill_in() { sed -e "s#@PORT@#$2#g" -e "s#@DIR@#$(realpath "$out")#g" "$1" >"$3"; }

rm -f "$out/port" "$out/irc-port"
build/daemon/chatroomd --port 0 --port-file "$out/port" --irc-port 0 --irc-port-file "$out/irc-port" \
  --no-console --log-level warn --rate-limit 0 >"$out/chatroomd.log" 2>&1 &
chat_pid=$!; pids+=("$chat_pid")
for _ in $(seq 100); do [ -s "$out/irc-port" ] && [ -s "$out/port" ] && break; sleep 0.05; done
line_port=$(cat "$out/port"); irc_port=$(cat "$out/irc-port")

ngircd_port=$(free_port)
fill_in bench/irc_peers/ngircd.conf.in "$ngircd_port" "$out/ngircd.conf"
# Its log names every connection and each write to a client that has gone: not kept.
ngircd --nodaemon --config "$out/ngircd.conf" >/dev/null 2>&1 &
ngircd_pid=$!; pids+=("$ngircd_pid")
wait_for_port "$ngircd_port" ngIRCd /dev/null

inspircd_port=$(free_port)
fill_in bench/irc_peers/inspircd.conf.in "$inspircd_port" "$out/inspircd.conf"
echo "chatroom-bench peer" >"$out/motd.txt"
inspircd --nofork --runasroot --config="$out/inspircd.conf" >"$out/inspircd.out" 2>&1 &
inspircd_pid=$!; pids+=("$inspircd_pid")
wait_for_port "$inspircd_port" InspIRCd "$out/inspircd.out"

echo "chatroomd $(build/daemon/chatroomd --version 2>&1 | head -n 1); $(ngircd --version 2>&1 | head -n 1);" \
     "InspIRCd $(dpkg-query -W -f '${Version}' inspircd 2>/dev/null || echo '?')" >&2

# An IRC server tells every member about each QUIT: after a run of N clients it has N^2 lines to
# write to closed sockets, and the next run must not share the machine with that.
wait_until_idle() {  # wait_until_idle PID: until it uses under 2% of a core for half a second, 60 s at most
  local before after
  for _ in $(seq 120); do
    before=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    sleep 0.5
    after=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    [ $((after - before)) -le 1 ] && return
  done
}

results=$out/results.tsv
printf 'server\tmode\tclients\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tcpu_ns_per_delivery\tlost\n' >"$results"
run_one() {  # run_one SERVER MODE N REPEAT
  local server=$1 mode=$2 n=$3 repeat=$4 target pid batch=256 args json
  case "$server" in
    chatroomd) target="irc://127.0.0.1:$irc_port"; pid=$chat_pid ;;
    line) target="chat://127.0.0.1:$line_port"; pid=$chat_pid ;;
    ngircd) target="irc://127.0.0.1:$ngircd_port"; pid=$ngircd_pid; batch=8 ;;
    inspircd) target="irc://127.0.0.1:$inspircd_port"; pid=$inspircd_pid ;;
  esac
  if [ "$mode" = closed ]; then
    local messages=$((15000000 / n))
    args=(--rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)))
  else
    local rate=200; [ "$n" -ge 5000 ] && rate=50
    args=(--rate "$rate" --duration 5 --warmup "$rate")
  fi
  json=$(build/bench/chatroom-bench --client-model "$client_model" --target "$target" --server-pid "$pid" \
         --clients "$n" --size 64 --connect-batch "$batch" --stall-timeout 30 --json -q "${args[@]}") || true
  wait_until_idle "$pid"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$mode" "$n" "$repeat" \
    "$(json_field "$json" deliveries_per_s)" "$(json_percentile "$json" p50)" \
    "$(json_percentile "$json" p99)" "$(json_field "$json" server_cpu_ns_per_delivery)" \
    "$(json_field "$json" lost)" >>"$results"
  echo "  $server $mode N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s," \
       "p99 $(json_percentile "$json" p99) ns, lost $(json_field "$json" lost)" >&2
}

for n in "${sizes[@]}"; do
  for mode in "${modes[@]}"; do
    for repeat in $(seq "$repeats"); do
      # Rotate which server goes first, so drift in the machine's state favours none.
      shift_by=$(((repeat - 1) % ${#servers[@]}))
      order=("${servers[@]:shift_by}" "${servers[@]:0:shift_by}")
      for server in "${order[@]}"; do run_one "$server" "$mode" "$n" "$repeat"; done
    done
  done
done

column_of() {  # column_of SERVER MODE N COLUMN -> the median of that column
  median $(awk -F'\t' -v s="$1" -v m="$2" -v n="$3" -v c="$4" '$1 == s && $2 == m && $3 == n { print $c }' "$results")
}
summary=$out/summary.tsv
printf 'server\tmode\tclients\tdeliveries_per_s\tp50_ms\tp99_ms\tcpu_us_per_delivery\n' >"$summary"
echo
echo "medians of $repeats, 64-byte PRIVMSGs, one sender, $client_model clients, loopback, $(nproc) cores"
printf '%-9s %-6s %7s | %13s | %9s %9s | %12s\n' server mode clients "deliveries/s" p50 p99 "CPU/delivery"
for mode in "${modes[@]}"; do
  for n in "${sizes[@]}"; do
    for server in "${servers[@]}"; do
      awk -v s="$server" -v m="$mode" -v n="$n" -v a="$(column_of "$server" "$mode" "$n" 5)" \
          -v b="$(column_of "$server" "$mode" "$n" 6)" -v c="$(column_of "$server" "$mode" "$n" 7)" \
          -v d="$(column_of "$server" "$mode" "$n" 8)" -v out="$summary" 'BEGIN {
        printf "%-9s %-6s %7d | %13.0f | %6.2f ms %6.2f ms | %9.3f us\n", s, m, n, a, b / 1e6, c / 1e6, d / 1e3
        printf "%s\t%s\t%d\t%.0f\t%.3f\t%.3f\t%.3f\n", s, m, n, a, b / 1e6, c / 1e6, d / 1e3 >> out }'
    done
  done
done
echo
for n in "${sizes[@]}"; do
  awk -F'\t' -v n="$n" '$3 == n { rate[$1 "/" $2] = $4; p99[$1 "/" $2] = $6; cpu[$1 "/" $2] = $7 }
    function better(a, b) { return a > b ? a : b }
    END {
      faster = better(rate["ngircd/closed"], rate["inspircd/closed"])
      if (faster > 0)
        printf "N=%d: closed loop chatroomd / faster peer %.2fx (target >= 3x)\n", n, rate["chatroomd/closed"] / faster
      if (rate["line/closed"] > 0)
        printf "N=%d: closed loop IRC / line clients %.2fx the deliveries/s (target >= 0.90x)\n", n,
          rate["chatroomd/closed"] / rate["line/closed"]
      if ("chatroomd/open" in p99)
        printf "N=%d: open-loop p99 %.2f ms vs ngIRCd %.2f ms, InspIRCd %.2f ms; CPU per delivery %.3f us vs %.3f us, %.3f us\n",
          n, p99["chatroomd/open"], p99["ngircd/open"], p99["inspircd/open"], cpu["chatroomd/open"], cpu["ngircd/open"],
          cpu["inspircd/open"] }' "$summary"
done
echo
echo "raw results: $results; medians: $summary"
