#!/usr/bin/env bash
# Usage: bench/compare.sh --tls [--clients "1000 5000"] [--repeats R] [--out DIR] [--client-model M]
#
# What encryption costs, at each N receivers (default 1,000 and 5,000), closed loop (window 64),
# 64-byte lines, R times each (default 3), alternating the order, medians reported:
#   plain   chatroomd's plain port;
#   tls     chatroomd's TLS port, records encrypted by OpenSSL in userspace (--no-ktls);
#   ktls    chatroomd's TLS port with kernel TLS, where the kernel offers it (skipped, and said
#           so, where it does not);
#   redis   Redis 7 pub/sub over TLS (redis-server --tls-port), the anchor.
# For each: deliveries/s, p50 and p99 per delivery, the server's CPU per delivery, and its CPU
# per connection set up (with TLS: per handshake, so what 1,000 handshakes a second cost).
# Certificates are made with openssl in DIR (default build/compare-tls); the load tool does
# not verify them. Installs redis-server and openssl with apt-get if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
sizes=(1000 5000)
repeats=3
out=build/compare-tls
parse_options "$@"
install_missing redis-server:redis-server openssl:openssl
scripts/build.sh build
mkdir -p "$out/certs"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)

certs=$out/certs
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/ca.key" -out "$certs/ca.pem" \
  -days 30 -subj "/CN=chatroom bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/server.key" -out "$certs/server.csr" \
  -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$certs/server.ext"
openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial -days 30 \
  -extfile "$certs/server.ext" -out "$certs/server.pem" 2>/dev/null
chmod 600 "$certs/server.key"

start_chatroomd() {  # start_chatroomd NAME EXTRA... -> sets NAME_pid, NAME_port, NAME_tls_port
  local name=$1; shift
  local port_file=$out/$name.port tls_port_file=$out/$name.tls-port
  rm -f "$port_file" "$tls_port_file"
  build/daemon/chatroomd --port 0 --port-file "$port_file" --tls-port 0 --tls-port-file "$tls_port_file" \
    --tls-cert "$certs/server.pem" --tls-key "$certs/server.key" --tls-max-handshakes 1024 --no-console \
    --log-level info --rate-limit 0 "$@" >"$out/$name.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.05; done
  printf -v "${name}_pid" '%s' "$pid"
  printf -v "${name}_port" '%s' "$(cat "$port_file")"
  printf -v "${name}_tls_port" '%s' "$(cat "$tls_port_file")"
}
start_chatroomd userspace --no-ktls
start_chatroomd kernel
setups=(plain tls)
if grep -q "kernel TLS offered" "$out/kernel.log"; then
  setups+=(ktls)
  ktls_note="kTLS: offered by this kernel"
else
  ktls_note="kTLS: not measured, $(grep -o 'kernel TLS unavailable[^)]*' "$out/kernel.log" | head -n 1)"
fi
setups+=(redis)

redis_port=$(free_port)
redis-server --port 0 --tls-port "$redis_port" --tls-cert-file "$certs/server.pem" --tls-key-file "$certs/server.key" \
  --tls-ca-cert-file "$certs/ca.pem" --tls-auth-clients no --bind 127.0.0.1 --save '' --appendonly no \
  --maxclients $((fd_limit - 64)) --daemonize no >"$out/redis.log" 2>&1 &
redis_pid=$!; pids+=("$redis_pid")
for _ in $(seq 100); do grep -q "Ready to accept" "$out/redis.log" && break; sleep 0.05; done


results=$out/results.tsv
printf 'setup\tclients\trepeat\tdeliveries_per_s\tp50_ns\tp99_ns\tcpu_ns_per_delivery\tsetup_cpu_us_per_connection\tlost\n' \
  >"$results"
run_one() {  # run_one SETUP N REPEAT
  local setup=$1 n=$2 repeat=$3 target pid tls=() json messages
  case "$setup" in
    plain) target=127.0.0.1:$userspace_port; pid=$userspace_pid ;;
    tls) target=127.0.0.1:$userspace_tls_port; pid=$userspace_pid; tls=(--tls) ;;
    ktls) target=127.0.0.1:$kernel_tls_port; pid=$kernel_pid; tls=(--tls) ;;
    redis) target=redis://127.0.0.1:$redis_port; pid=$redis_pid; tls=(--tls) ;;
  esac
  messages=$((10000000 / n))
  json=$(build/bench/chatroom-bench --client-model "$client_model" --target "$target" "${tls[@]}" --server-pid "$pid" --clients "$n" --size 64 \
         --rate 0 --window 64 --messages "$messages" --warmup $((messages / 10)) --json -q) || true
  local setup_cpu connections
  setup_cpu=$(json_field "$json" setup_server_cpu_s); connections=$(json_field "$json" setup_connections)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$n" "$repeat" "$(json_field "$json" deliveries_per_s)" \
    "$(json_percentile "$json" p50)" "$(json_percentile "$json" p99)" \
    "$(json_field "$json" server_cpu_ns_per_delivery)" \
    "$(awk -v c="${setup_cpu:-0}" -v n="${connections:-1}" 'BEGIN { printf "%.1f", c * 1e6 / n }')" \
    "$(json_field "$json" lost)" >>"$results"
  echo "  $setup N=$n run $repeat: $(json_field "$json" deliveries_per_s) deliveries/s, lost $(json_field "$json" lost)" >&2
}

for n in "${sizes[@]}"; do
  for repeat in $(seq "$repeats"); do
    # Rotate the order each round, so drift in the machine's state favours no setup.
    order=("${setups[@]:$((repeat % ${#setups[@]}))}" "${setups[@]:0:$((repeat % ${#setups[@]}))}")
    for setup in "${order[@]}"; do run_one "$setup" "$n" "$repeat"; done
  done
done

column_of() {  # column_of SETUP N COLUMN -> the median of that column
  median $(awk -F'\t' -v s="$1" -v n="$2" -v c="$3" '$1 == s && $2 == n { print $c }' "$results")
}
summary=$out/summary.tsv
printf 'setup\tclients\tdeliveries_per_s\tp50_ms\tp99_ms\tcpu_us_per_delivery\tsetup_cpu_us_per_connection\n' >"$summary"
echo
echo "medians of $repeats, closed loop, window 64, 64-byte lines, loopback, $(nproc) cores; $ktls_note"
printf '%-6s %7s | %13s | %9s %9s | %12s | %15s\n' setup clients "deliveries/s" p50 p99 "CPU/delivery" "CPU/connection"
for n in "${sizes[@]}"; do
  for setup in "${setups[@]}"; do
    awk -v s="$setup" -v n="$n" -v a="$(column_of "$setup" "$n" 4)" -v b="$(column_of "$setup" "$n" 5)" \
        -v c="$(column_of "$setup" "$n" 6)" -v d="$(column_of "$setup" "$n" 7)" -v e="$(column_of "$setup" "$n" 8)" \
        -v out="$summary" 'BEGIN {
      printf "%-6s %7d | %13.0f | %6.2f ms %6.2f ms | %9.3f us | %12.1f us\n", s, n, a, b / 1e6, c / 1e6, d / 1e3, e
      printf "%s\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%.1f\n", s, n, a, b / 1e6, c / 1e6, d / 1e3, e >> out }'
  done
  awk -F'\t' -v n="$n" '$2 == n { rate[$1] = $3; cpu[$1] = $6; setup[$1] = $7 } END {
    printf "  N=%d: chatroomd TLS / Redis TLS deliveries/s %.2fx (target >= 1.2x); TLS / plain CPU per delivery %.2fx (target <= 2x)", n, rate["tls"] / rate["redis"], cpu["tls"] / cpu["plain"]
    if ("ktls" in rate) printf "; kTLS / plain CPU %.2fx", cpu["ktls"] / cpu["plain"]
    printf "; 1,000 TLS handshakes/s cost %.0f%% of a core\n", setup["tls"] * 1000 / 1e6 * 100 }' "$summary"
done
echo
echo "raw results: $results; medians: $summary"
