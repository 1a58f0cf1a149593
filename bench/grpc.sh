#!/usr/bin/env bash
# gRPC unary calls per second per core, beside the HTTP/1.1 path on the same machine and server, and the bytes one
# call allocates through a bare Grpc.Net.Client channel and through Surge's recording layer (see bench/README.md).
#
# Environment: DURATION [8] seconds per run, VUS [50], ROUNDS [2] (runs alternate grpc, http), SKIP_PUBLISH=1.
# Pinning: surge on core 0, the Kestrel server (bench/Surge.Benchmarks grpc-server: Echo over h2c, GET /hello over
# HTTP/1.1) on core 1.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
surge="$bench_dir/.out/surge/surge"
duration=${DURATION:-8}
vus=${VUS:-50}
rounds=${ROUNDS:-2}
work=$(mktemp -d)
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

if [[ ${SKIP_PUBLISH:-} != 1 || ! -x $surge ]]; then
    dotnet publish "$repo_dir/src/Surge.Cli" -c Release -o "$bench_dir/.out/surge" > "$work/publish.log" || { cat "$work/publish.log"; exit 2; }
fi
dotnet build -c Release "$bench_dir/Surge.Benchmarks" > "$work/build.log" || { cat "$work/build.log"; exit 2; }
benchmarks="$bench_dir/Surge.Benchmarks/bin/Release/net10.0/Surge.Benchmarks.dll"

# The server lives until its stdin (a FIFO held open here) closes.
mkfifo "$work/stdin"
taskset -c 1 dotnet "$benchmarks" grpc-server < "$work/stdin" > "$work/server.out" 2>&1 &
server_pid=$!
exec 3> "$work/stdin"
for _ in $(seq 50); do [[ -s $work/server.out ]] && break; sleep 0.2; done
read -r grpc_url http_url < "$work/server.out"

# Prints "count user+sys-seconds" for one pinned surge run; $1 names the metric whose count is the call count.
run() {
    local metric=$1
    shift
    /usr/bin/time -f '%U %S' -o "$work/time" taskset -c 0 "$@" --quiet --summary-export "$work/summary.json" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 2; }
    python3 - "$work/summary.json" "$metric" "$work/time" << 'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
values = summary["metrics"][sys.argv[2]]
count = values.get("count", values.get("values", {}).get("count"))
user, sys_ = map(float, open(sys.argv[3]).read().split()[-2:])
print(int(count), round(user + sys_, 2))
PY
}

# Start-up (and for the C# test, compiling it with Roslyn and protoc in a child process) costs a few CPU-seconds that
# would drown the per-call cost, so each protocol runs twice, for DURATION and for 2 s: the difference in calls over
# the difference in CPU-seconds is the steady-state cost.
echo "| run | calls in ${duration} s | calls/s | calls per CPU-s (steady state) |"
echo "|---|---:|---:|---:|"
for round in $(seq "$rounds"); do
    read -r grpc_count grpc_cpu < <(TARGET=$grpc_url VUS=$vus DURATION=$duration run grpc_req_duration "$surge" run "$bench_dir/plans/grpc-echo.cs")
    read -r grpc_short grpc_short_cpu < <(TARGET=$grpc_url VUS=$vus DURATION=2 run grpc_req_duration "$surge" run "$bench_dir/plans/grpc-echo.cs")
    read -r http_count http_cpu < <(run http_reqs "$surge" run "${http_url}/hello" --vus "$vus" --duration "${duration}s")
    read -r http_short http_short_cpu < <(run http_reqs "$surge" run "${http_url}/hello" --vus "$vus" --duration 2s)
    python3 - "$round" "$duration" "$grpc_count" "$grpc_cpu" "$grpc_short" "$grpc_short_cpu" "$http_count" "$http_cpu" "$http_short" "$http_short_cpu" << 'PY'
import sys
r, d = sys.argv[1], float(sys.argv[2])
gc, gcpu, gs, gscpu, hc, hcpu, hs, hscpu = (float(a) for a in sys.argv[3:])
grpc = (gc - gs) / (gcpu - gscpu)
http = (hc - hs) / (hcpu - hscpu)
print(f"| gRPC unary Echo (h2c), {r} | {gc:,.0f} | {gc/d:,.0f} | {grpc:,.0f} |")
print(f"| HTTP/1.1 GET /hello, {r} | {hc:,.0f} | {hc/d:,.0f} | {http:,.0f} |")
print(f"| gRPC / HTTP/1.1, {r} | | {gc/hc:.2f}x | {grpc/http:.2f}x |")
PY
done
echo
taskset -c 0 dotnet "$benchmarks" grpc-alloc "$grpc_url"
