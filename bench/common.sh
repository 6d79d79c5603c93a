# Helpers shared by bench/compare*.sh; sourced, not run.

# The options every comparison takes. A script sets its defaults in these variables first,
# then calls parse_options "$@":
#   sizes         --clients "N..."   receivers per scenario
#   repeats       --repeats R        runs of each scenario per server (medians are reported)
#   out           --out DIR          where results go
#   client_model  --client-model M   chatroom-bench's --client-model (foreign or lean)
#   quick         --quick            fewer sizes and one run each, where the script offers it
# --help prints the script's header comment.
sizes=(1000)
repeats=3
out=build/compare
client_model=foreign
quick=0
parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help) print_usage; exit 0 ;;
      --quick) quick=1; repeats=1; shift; continue ;;
      --clients|--repeats|--out|--client-model) ;;
      *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    if [ $# -lt 2 ]; then echo "$1: needs a value (see --help)" >&2; exit 2; fi
    case "$1" in
      --clients) read -r -a sizes <<<"$2" ;;
      --repeats) repeats=$2 ;;
      --out) out=$2 ;;
      --client-model) client_model=$2 ;;
    esac
    shift 2
  done
  case "$client_model" in foreign|lean) ;; *) echo "--client-model: foreign or lean, not $client_model" >&2; exit 2 ;; esac
  [[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "--repeats: a positive number, not $repeats" >&2; exit 2; }
  local n
  for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--clients: positive numbers, not $n" >&2; exit 2; }
  done
}

# The header comment of the script that is running, without the shebang and the "# ".
print_usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# install_missing COMMAND:PACKAGE...: apt-get installs the packages whose command is missing.
install_missing() {
  local need=() pair
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); done
  [ ${#need[@]} -eq 0 ] && return
  echo "installing ${need[*]}" >&2
  local sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Servers started in the background; killed when the script exits.
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# json_field JSON NAME -> the first number after "NAME": in chatroom-bench's --json output.
json_field() { grep -o "\"$2\":[-0-9.e+]*" <<<"$1" | head -n 1 | cut -d: -f2; }
# json_percentile JSON PERCENTILE -> that percentile (p50, p99...) of the first delivery latency
# histogram in JSON (a whole report, or one target's part of it), in ns.
json_percentile() { grep -o '"latency_ns":{[^}]*}' <<<"$1" | head -n 1 | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
