#!/usr/bin/env bash
# Where a benchmark server's CPU goes: starts one variant of one adapter (see http-adapters.sh) with Java Flight
# Recorder, warms it with wrk, records while wrk loads it, and prints the hottest frames (top of stack) and the
# library's share of the samples (any dev.apikey frame on the stack, the benchmark's own classes excluded) and
# Spring Security's, and where every sample's time goes by owner: the first frame from the top of its stack that is
# not the JDK's names it (our code, Spring Security, the framework, the server), so the owners sum to 100 %.
# Usage: benchmarks/http-profile.sh adapter variant [seconds] [warm-up seconds]   (needs the build and wrk as above)
# JFR_OUT=file keeps the recording; JFR_PERIOD (e.g. 2ms; the profile settings' 10 ms by default) samples more often.
# The samples per 1,000 requests compare variants whose throughput differs: the same sampling, more CPU per request.
set -euo pipefail
cd "$(dirname "$0")/.."
adapter=$1 variant=$2 seconds=${3:-20} warmup=${4:-15}
cp="benchmarks-http/target/classes:$(cat benchmarks-http/target/classpath.txt)"
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
run() { # run NAME CLASS ARGS...: a server with its output in $tmp/NAME.out
  local name=$1; shift
  java -Xms384m -Xmx384m -cp "$cp" "$@" > "$tmp/$name.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do grep -q '^listening' "$tmp/$name.out" && return 0; sleep 0.2; done
  echo "$name did not start" >&2; tail -20 "$tmp/$name.out" >&2; exit 1
}
upstream=0
if [ "$adapter" = gateway ]; then
  run upstream dev.apikey.bench.http.JettyHello none 0
  upstream=$(awk '/^listening/{print $2}' "$tmp/upstream.out")
fi
case $adapter in
  jetty) run server dev.apikey.bench.http.JettyHello "$variant" 0 ;;
  jersey|resteasy) run server dev.apikey.bench.http.JaxrsHello "$adapter" "$variant" 0 ;;
  mvc|webflux) run server dev.apikey.bench.http.SpringHello "$adapter" "$variant" 0 ;;
  gateway) run server dev.apikey.bench.http.GatewayHello "$variant" 0 "$upstream" ;;
esac
port=$(awk '/^listening/{print $2}' "$tmp/server.out")
key=$(awk '/^key/{print $2}' "$tmp/server.out")
wrk -t1 -c32 -d"${warmup}s" -H "X-Api-Key: $key" "http://127.0.0.1:$port/hello" > /dev/null
period=()
[ -n "${JFR_PERIOD:-}" ] && period=("jdk.ExecutionSample#period=$JFR_PERIOD")
jcmd "${pids[-1]}" JFR.start name=bench settings=profile "${period[@]}" > /dev/null
wrk -t1 -c32 -d"${seconds}s" --latency -H "X-Api-Key: $key" "http://127.0.0.1:$port/hello" > "$tmp/wrk.txt"
grep -E 'Requests/sec|99%|Non-2xx' "$tmp/wrk.txt" || true
requests=$(awk '/requests in/{print $1}' "$tmp/wrk.txt")
jcmd "${pids[-1]}" JFR.stop name=bench filename="$tmp/rec.jfr" > /dev/null
[ -n "${JFR_OUT:-}" ] && cp "$tmp/rec.jfr" "$JFR_OUT"
jfr print --events jdk.ExecutionSample --stack-depth 96 "$tmp/rec.jfr" > "$tmp/samples.txt"
python3 - "$tmp/samples.txt" "$requests" <<'PY'
import collections, re, sys
stacks, cur = [], None
for line in open(sys.argv[1]):
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        cur = []; stacks.append(cur)
    elif cur is not None and re.match(r"^[\w$.<>]+\(.*\)\s+line:", s):
        cur.append(s.split("(")[0])
total = len(stacks)
ours = lambda f: f.startswith("dev.apikey.") and not f.startswith("dev.apikey.bench.")
security = lambda f: f.startswith("org.springframework.security.")
top = collections.Counter(st[0] for st in stacks if st)
incl = collections.Counter()
for st in stacks:
    for f in set(st):
        if ours(f) or security(f): incl[f] += 1
lib = sum(1 for st in stacks if any(ours(f) for f in st))
requests = int(sys.argv[2])
print(f"samples {total}; with a library frame on the stack: {lib} ({100 * lib / max(total, 1):.1f} %)")
print(f"requests {requests}; samples per 1,000 requests: {1000 * total / max(requests, 1):.2f}, of them with a library"
      f" frame: {1000 * lib / max(requests, 1):.2f}")
print("hottest frames (top of stack):")
for f, n in top.most_common(25): print(f"  {100 * n / total:5.1f} %  {f}")
sec = sum(1 for st in stacks if any(security(f) for f in st))
print(f"with a Spring Security frame on the stack: {sec} ({100 * sec / max(total, 1):.1f} %)")
print("library and Spring Security frames (inclusive):")
for f, n in incl.most_common(40): print(f"  {100 * n / total:5.1f} %  {f}")
OWNERS = [("our code", ("dev.apikey.",)), ("benchmark", ("dev.apikey.bench.",)),
          ("Spring Security", ("org.springframework.security.",)),
          ("Spring Cloud Gateway", ("org.springframework.cloud.",)),
          ("Spring (web, core) and Reactor", ("org.springframework.", "reactor.core.", "reactor.util.")),
          ("observability (Micrometer)", ("io.micrometer.",)),
          ("server: Tomcat", ("org.apache.tomcat.", "org.apache.catalina.", "org.apache.coyote.")),
          ("server: Netty / Reactor Netty", ("io.netty.", "reactor.netty.")),
          ("server: Jetty", ("org.eclipse.jetty.",)),
          ("JAX-RS: Jersey, HK2", ("org.glassfish.",)), ("JAX-RS: RESTEasy", ("org.jboss.",)),
          ("logging", ("org.apache.commons.logging.", "org.slf4j.", "ch.qos.logback.", "org.apache.logging."))]
def owner(stack):
    for f in stack:
        if f.startswith(("java.", "javax.", "jdk.", "sun.", "com.sun.")):
            continue
        best = None
        for name, prefixes in OWNERS:
            if f.startswith(prefixes) and (best is None or name == "benchmark"):
                best = name
        return best or "other: " + ".".join(f.split(".")[:2])
    return "JDK only"
owners = collections.Counter(owner(st) for st in stacks if st)
print("by owner (the first frame from the top that is not the JDK's; sums to 100 %):")
for o, n in owners.most_common(): print(f"  {100 * n / total:5.1f} %  {o}")
PY
