#!/usr/bin/env bash
# The HTTP comparison: a hello endpoint on Jetty 12 with and without ApiKeyFilter, loaded by wrk over
# loopback, alternating so that both see the same machine. Needs wrk (Debian package) and
#   ./mvnw -B -q -pl benchmarks -am package -DskipTests
# Usage: benchmarks/http-bench.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
jar=benchmarks/target/benchmarks.jar
port=18081
out=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for mode in plain filter; do
    java -cp "$jar" dev.apikey.bench.HelloServer "$mode" "$port" > "$out" 2>/dev/null &
    pid=$!
    for _ in $(seq 1 100); do grep -q listening "$out" && break; sleep 0.1; done
    key=$(awk '/^key /{print $2}' "$out")
    wrk -t1 -c32 -d3s -H "X-Api-Key: $key" "http://127.0.0.1:$port/hello" > /dev/null
    result=$(wrk -t1 -c32 -d"${seconds}s" --latency -H "X-Api-Key: $key" "http://127.0.0.1:$port/hello")
    rps=$(echo "$result" | awk '/Requests\/sec/{print $2}')
    p99=$(echo "$result" | awk '$1=="99%"{print $2}')
    non2xx=$(echo "$result" | awk '/Non-2xx/{print $NF}')
    echo "round=$round mode=$mode requests_per_sec=$rps p99=$p99 non_2xx=${non2xx:-0}"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
rm -f "$out"
