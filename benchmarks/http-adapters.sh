#!/usr/bin/env bash
# What each HTTP adapter costs: the same small JSON endpoint (GET /hello -> {"hello":"world"}) on each web stack,
# in variants started side by side (no authentication, a hand-written header check with a HashMap lookup, the
# library's adapter; on the Spring Security stacks also Spring Security permitting all, the unauthenticated baseline,
# and the hand-written check inside that chain; on WebFlux also open-rules: the starter's chain and rules with an
# authentication that verifies nothing), loaded by wrk over 127.0.0.1 in alternating rounds, the order
# rotated each round. Only the variant being measured gets requests; the others idle.
# Each variant is first warmed until its throughput stops climbing: wrk in steps of WARM_STEP seconds, stopping once
# WARM_PATIENCE steps in a row come no more than WARM_CLIMB % over the best step before them (at least the adapter's
# minimum, at most its cap); every step is printed ("warm ...") so that the trend shows.
# Needs wrk (apt-get install -y wrk) and
#   ./mvnw -B -q -pl benchmarks-http -am package -DskipTests
# Usage: benchmarks/http-adapters.sh [rounds] [seconds] [adapters...]
#   adapters: jetty mvc webflux gateway jersey resteasy (default: all)
# Options (environment): WARM_STEP (5), WARM_CLIMB (3), WARM_PATIENCE (1), WARM_MIN_<ADAPTER> and WARM_MAX_<ADAPTER>
#   (seconds: gateway 60 to 90, webflux 30 to 75, mvc 15 to 45, the others 10 to 30), VARIANTS_<ADAPTER> (the variants),
#   RESULTS=file keeps the lines. On a machine with cores to spare, CPUS_SERVER, CPUS_UPSTREAM and CPUS_LOAD (taskset
#   lists, e.g. 0-3) pin the measured servers, the gateway's upstream and wrk to cores of their own, so that the
#   server's share of the processor is the same for every variant; WRK_THREADS (1) and WRK_CONNECTIONS (32) size wrk.
# Prints one line per measurement, then a summary per adapter (medians, min-max, ratios to its baseline and to its
# hand-written check, and the measured server's CPU time per request: user and system, all its threads, from
# /proc/PID/stat over each measured load, which says what a variant costs the server even where the throughput is
# bounded by the load generator or the upstream sharing its processors).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
step=${WARM_STEP:-5}
climb=${WARM_CLIMB:-3}
patience=${WARM_PATIENCE:-1}
adapters=${*:-jetty mvc webflux gateway jersey resteasy}
cp="benchmarks-http/target/classes:$(cat benchmarks-http/target/classpath.txt)"
jvm=(java -Xms384m -Xmx384m -cp "$cp")
# pin LIST: the taskset prefix for a core list, or nothing without one
pin() { [ -n "$1" ] && echo "taskset -c $1"; true; }
read -r -a on_server <<< "$(pin "${CPUS_SERVER:-}")"
read -r -a on_upstream <<< "$(pin "${CPUS_UPSTREAM:-}")"
read -r -a on_load <<< "$(pin "${CPUS_LOAD:-}")"
wrk_threads=${WRK_THREADS:-1}
wrk_connections=${WRK_CONNECTIONS:-32}
results=${RESULTS:-$(mktemp)}
clk_tck=$(getconf CLK_TCK)
declare -A server_pid=()
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'cleanup; rm -rf "$tmp"' EXIT

# start NAME COMMAND...: starts a server in the background, its output in $tmp/NAME.out
start() {
  local name=$1; shift
  "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
  pids+=($!)
  server_pid[$name]=$!
}
# ready NAME: waits (at most 120 s) for the server's "listening" line
ready() {
  for _ in $(seq 1 600); do
    grep -q '^listening' "$tmp/$1.out" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "server $1 did not start:" >&2; tail -20 "$tmp/$1.err" >&2; return 1
}
port() { awk '/^listening/{print $2}' "$tmp/$1.out"; }
# cpu_ticks NAME: the server's CPU time so far, user and system, all its threads, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${server_pid[$1]}/stat" 2>/dev/null || echo 0; }
key() { awk '/^key/{print $2}' "$tmp/$1.out"; }

# check NAME VARIANT: the key is let through, a missing key refused (except without authentication: none, open, and
# open-rules, whose authentication lets every request through)
check() {
  local url="http://127.0.0.1:$(port "$1")/hello" ok no
  ok=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $(key "$1")" "$url")
  no=$(curl -s -o /dev/null -w '%{http_code}' "$url")
  echo "check $1 with_key=$ok without_key=$no"
  [ "$ok" = 200 ] || { echo "$1 answered $ok to its key" >&2; return 1; }
  case $2 in none|open|open-rules) return 0 ;; esac
  [ "$no" = 401 ] || { echo "$1 answered $no without a key" >&2; return 1; }
}

# load NAME SECONDS: wrk (1 thread, 32 connections unless told); prints "rps p99_ms non2xx errors"
load() {
  local out before after
  before=$(cpu_ticks "$1")
  out=$("${on_load[@]}" wrk -t"$wrk_threads" -c"$wrk_connections" -d"$2s" --latency -H "X-Api-Key: $(key "$1")" "http://127.0.0.1:$(port "$1")/hello")
  after=$(cpu_ticks "$1")
  echo "$out" | awk -v ticks=$((after - before)) -v hz="$clk_tck" '
    /Requests\/sec/ { rps = $2 }
    /requests in/ { reqs = $1 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); p = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); p = v }
                  else { sub(/s$/, "", v); p = v * 1000 } }
    /Non-2xx/ { non = $NF }
    /Socket errors/ { err = $0; gsub(/[^0-9 ]/, "", err); split(err, e, " +"); errs = e[2] + e[3] + e[4] + e[5] }
    END { printf "%s %.2f %d %d %.1f\n", rps, p, non, errs, (reqs > 0 ? ticks / hz * 1e6 / reqs : 0) }'
}

# warm ADAPTER NAME MIN CAP: wrk in steps until the throughput stops climbing (see above) or CAP seconds have passed
warm() {
  local adapter=$1 name=$2 warm_min=$3 cap=$4 spent=0 best=0 flat=0 i=0 rps rest
  while [ "$spent" -lt "$cap" ]; do
    i=$((i + 1))
    read -r rps rest < <(load "$name" "$step")
    spent=$((spent + step))
    echo "warm adapter=$adapter variant=$name step=$i seconds=$spent rps=$rps" | tee -a "$results"
    if awk -v r="$rps" -v b="$best" -v c="$climb" 'BEGIN { exit !(r > b * (1 + c / 100)) }'; then flat=0; else flat=$((flat + 1)); fi
    best=$(awk -v r="$rps" -v b="$best" 'BEGIN { print (r > b ? r : b) }')
    [ "$spent" -ge "$warm_min" ] && [ "$flat" -ge "$patience" ] && return 0
  done
  echo "warm adapter=$adapter variant=$name capped_at=$cap" | tee -a "$results"
}

declare -A default_variants=(
  [jetty]="none hand ours" [mvc]="none hand open hand-open ours ours-filter"
  [webflux]="none open open-rules hand-open ours"
  [gateway]="none hand ours" [jersey]="none hand ours" [resteasy]="none hand ours")
# The gateway's variants climb for a minute on two vCPUs, with plateaus on the way (2026-12-04: 4.9k req/s for 25 s,
# then 6.5k): a warm-up stopped at 30 s left its rounds climbing through a series.
declare -A default_mins=([jetty]=10 [mvc]=15 [webflux]=30 [gateway]=60 [jersey]=10 [resteasy]=10)
declare -A default_caps=([jetty]=30 [mvc]=45 [webflux]=75 [gateway]=90 [jersey]=30 [resteasy]=30)

for adapter in $adapters; do
  [ -n "${default_variants[$adapter]:-}" ] || { echo "unknown adapter $adapter" >&2; exit 2; }
  upper=${adapter^^}
  vname=VARIANTS_$upper mname=WARM_MIN_$upper cname=WARM_MAX_$upper
  variants=${!vname:-${default_variants[$adapter]}}
  least=${!mname:-${default_mins[$adapter]}}
  cap=${!cname:-${default_caps[$adapter]}}
  if [ "$adapter" = gateway ]; then
    start upstream "${on_upstream[@]}" "${jvm[@]}" dev.apikey.bench.http.JettyHello none 0
    ready upstream
  fi
  for v in $variants; do
    case $adapter in
      jetty) start "$v" "${on_server[@]}" "${jvm[@]}" dev.apikey.bench.http.JettyHello "$v" 0 ;;
      jersey|resteasy) start "$v" "${on_server[@]}" "${jvm[@]}" dev.apikey.bench.http.JaxrsHello "$adapter" "$v" 0 ;;
      mvc|webflux) start "$v" "${on_server[@]}" "${jvm[@]}" dev.apikey.bench.http.SpringHello "$adapter" "$v" 0 ;;
      gateway) start "$v" "${on_server[@]}" "${jvm[@]}" dev.apikey.bench.http.GatewayHello "$v" 0 "$(port upstream)" ;;
    esac
    ready "$v"   # one at a time: the start-ups do not compete
  done
  for v in $variants; do check "$v" "$v"; done
  for v in $variants; do warm "$adapter" "$v" "$least" "$cap"; done
  set -- $variants
  n=$#
  for round in $(seq 1 "$rounds"); do
    order=()
    for i in $(seq 0 $((n - 1))); do
      j=$(( (i + round - 1) % n + 1 )); order+=("${!j}")
    done
    for v in "${order[@]}"; do
      read -r rps p99 non errs cpu < <(load "$v" "$seconds")
      echo "adapter=$adapter round=$round variant=$v rps=$rps p99_ms=$p99 non2xx=$non errors=$errs cpu_us=$cpu" | tee -a "$results"
    done
  done
  cleanup
done

python3 - "$results" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    if not line.startswith("adapter="):   # warm-up steps and notes
        continue
    f = dict(kv.split("=", 1) for kv in line.split())
    cpu = float(f["cpu_us"]) if float(f.get("cpu_us", "0")) > 0 else None   # lines of older runs have none
    rows[f["adapter"]][f["variant"]].append((float(f["rps"]), float(f["p99_ms"]), int(f["non2xx"]) + int(f["errors"]), cpu))
# The baseline: Spring Security permitting all where the stack has it (open), else no authentication; the
# hand-written check: inside that chain where there is one (hand-open), else on its own. The variants without Spring
# Security on a stack that has it (none, hand, ours-filter) are set against none and hand.
# The server's CPU per request (user and system, every thread of its JVM, over each measured load): what the variant
# costs the server, which the throughput shows only as far as the server is the one short of processor time.
print("| adapter | variant | rounds | req/s median | req/s min–max | p99 ms median | p99 min–max | of baseline | of hand check | non-2xx+errors | server CPU µs/req median (min–max) | CPU of baseline's |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for adapter, variants in rows.items():
    med = {v: statistics.median(r for r, _, _, _ in m) for v, m in variants.items()}
    cpus = {v: [c for _, _, _, c in m if c is not None] for v, m in variants.items()}
    cpu_med = {v: statistics.median(c) for v, c in cpus.items() if c}
    for v, m in variants.items():
        plain = v in ("none", "hand", "ours-filter")
        base = "open" if "open" in med and not plain else "none" if "none" in med else None
        hand = "hand-open" if "hand-open" in med and not plain else "hand" if "hand" in med else None
        rps = [r for r, _, _, _ in m]; p99 = [p for _, p, _, _ in m]
        of_base = f"{100 * med[v] / med[base]:.1f} % of {base}" if base else ""
        of_hand = f"{100 * med[v] / med[hand]:.1f} % of {hand}" if hand else ""
        print(f"| {adapter} | {v} | {len(m)} | {med[v]:,.0f} | {min(rps):,.0f}–{max(rps):,.0f} | "
              f"{statistics.median(p99):.2f} | {min(p99):.2f}–{max(p99):.2f} | {of_base} | {of_hand} | {sum(e for _, _, e, _ in m)} | "
              + (f"{cpu_med[v]:.1f} ({min(cpus[v]):.1f}–{max(cpus[v]):.1f}) | " if v in cpu_med else "| ")
              + (f"{100 * cpu_med[v] / cpu_med[base]:.1f} % of {base} |" if v in cpu_med and base in cpu_med else "|"))
PY
