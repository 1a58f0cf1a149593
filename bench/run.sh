#!/usr/bin/env bash
# Compares Surge with wrk, hey, ab and Locust against one private nginx, Surge's HTTP/2 with h2load, then
# measures Surge's memory per VU and its arrival-rate accuracy. The one command: `bash bench/run.sh` (see bench/README.md).
#
#   bench/run.sh [compare] [h2] [memory] [arrival] [open-model]   parts to run; none (or `all`) runs all five
#
# Environment (defaults in brackets):
#   DURATION [8s]            each generator's run in `compare`, whole seconds
#   CONNECTIONS [50]         keep-alive connections (VUs, users) per generator
#   GENERATORS [wrk hey ab locust surge]
#   H2_DURATION [8s]         each generator's run in `h2` (surge and h2load over h2c, CONNECTIONS connections,
#                            one stream in flight on each, as a VU sends one request at a time)
#   MEMORY_VUS [20000]       VUs of the big memory run (capped by the open-files hard limit, with a warning)
#   MEMORY_BASELINE_VUS [100]
#   MEMORY_DURATION [25s]    planned length of each memory run; RSS is sampled at MEMORY_SAMPLE_AT [20s]
#   ARRIVAL_RATE [20000]     iterations per second, ARRIVAL_DURATION [30s]
#   OPEN_RATES [100 1000 10000 max]   rates of the open-model part; at `max` the closed model runs 50 VUs flat out
#                            and the open model then runs at the rate the closed one reached
#   OPEN_DURATION [10s]      each open- and closed-model run; CPU is sampled from 3 s to 1 s before the end
#   OPEN_REPEAT [3]          runs of each model at each rate (alternating); the table gives medians and ranges
#   SKIP_PUBLISH=1           reuse bench/.out/surge instead of publishing again
#   KEEP_WORK=1              keep the temporary folder with every tool's raw output and nginx's error log
#
# Pinning: every generator runs on core 0 (`taskset -c 0`), nginx (one worker) on core 1, so each side has a
# core of its own and the numbers compare the generators, not the scheduler.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
surge="$bench_dir/.out/surge/surge"
results_file="$bench_dir/results/latest.md"

die() { echo "bench: $*" >&2; exit 2; }

# "8s" or "8" -> 8; the tools differ in how they spell durations, so the script keeps whole seconds.
seconds() {
    local text=${1%s}
    [[ $text =~ ^[0-9]+$ && $text -gt 0 ]] || die "'$1' is not a whole number of seconds (write e.g. 8s)"
    echo "$text"
}

duration_s=$(seconds "${DURATION:-8s}")
h2_duration_s=$(seconds "${H2_DURATION:-8s}")
connections=${CONNECTIONS:-50}
generators=${GENERATORS:-wrk hey ab locust surge}
memory_vus=${MEMORY_VUS:-20000}
memory_baseline_vus=${MEMORY_BASELINE_VUS:-100}
memory_duration_s=$(seconds "${MEMORY_DURATION:-25s}")
memory_sample_s=$(seconds "${MEMORY_SAMPLE_AT:-20s}")
arrival_rate=${ARRIVAL_RATE:-20000}
arrival_duration_s=$(seconds "${ARRIVAL_DURATION:-30s}")
open_rates=${OPEN_RATES:-100 1000 10000 max}
open_duration_s=$(seconds "${OPEN_DURATION:-10s}")
open_repeat=${OPEN_REPEAT:-3}
[[ $open_repeat =~ ^[1-9][0-9]*$ ]] || die "OPEN_REPEAT must be a whole number of runs, at least 1"
[[ $open_duration_s -ge 6 ]] || die "OPEN_DURATION must be at least 6s: CPU is sampled from 3 s to 1 s before the end"
[[ $memory_sample_s -lt $memory_duration_s ]] || die "MEMORY_SAMPLE_AT must be shorter than MEMORY_DURATION"

parts=()
for arg in "$@"; do
    case $arg in
        compare | h2 | memory | arrival | open-model) parts+=("$arg") ;;
        all) parts+=(compare h2 arrival open-model memory) ;;
        *) die "unknown part '$arg'; use compare, h2, memory, arrival, open-model or all" ;;
    esac
done
[[ ${#parts[@]} -gt 0 ]] || parts=(compare h2 arrival open-model memory)
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- tools -------------------------------------------------------------------------------------------------
install_missing() {
    local missing=()
    [[ -x /usr/sbin/nginx ]] || command -v nginx > /dev/null || missing+=(nginx)
    command -v wrk > /dev/null || missing+=(wrk)
    command -v hey > /dev/null || missing+=(hey)
    command -v ab > /dev/null || missing+=(apache2-utils)
    command -v locust > /dev/null || missing+=(python3-locust)
    command -v h2load > /dev/null || missing+=(nghttp2-client)
    [[ -x /usr/bin/time ]] || missing+=(time)
    command -v taskset > /dev/null || missing+=(util-linux)
    command -v python3 > /dev/null || missing+=(python3)
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "bench: installing ${missing[*]}" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
    fi
}
install_missing
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [[ ${SKIP_PUBLISH:-0} != 1 || ! -x $surge ]]; then
    echo "bench: publishing Surge (Release) to bench/.out/surge" >&2
    dotnet publish "$repo_dir/src/Surge.Cli" -c Release -o "$bench_dir/.out/surge" --nologo -v quiet > /dev/null
    # Idle build servers would otherwise share the machine with the first generator.
    dotnet build-server shutdown > /dev/null 2>&1 || true
fi

# Both sides get every file descriptor the hard limit allows: the memory run holds one connection per VU.
hard_nofile=$(ulimit -Hn)
[[ $hard_nofile == unlimited ]] && hard_nofile=1048576
ulimit -n "$hard_nofile"

# --- private nginx on core 1 -------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/surge-bench.XXXXXX")
nginx_pid=""
background_pid=""
cleanup() {
    [[ -n $background_pid ]] && kill "$background_pid" 2> /dev/null || true
    stop_nginx
    if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "bench: raw outputs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target="http://127.0.0.1:$port/"
h2_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
h2_target="http://127.0.0.1:$h2_port/"
worker_connections=$((hard_nofile - 64 < 65536 ? hard_nofile - 64 : 65536))

# Starts nginx with WORKERS workers, all on core 1. One worker for the comparison; the memory run needs more,
# because nginx starts closing idle keep-alive connections once fewer than 1/16 of a worker's connections are
# free, and one worker's descriptors cannot hold 20,000 (reuseport spreads connections evenly over workers).
start_nginx() {
    local workers=$1
    stop_nginx
    mkdir -p "$work/nginx/logs"
    cat > "$work/nginx/nginx.conf" << EOF
worker_processes $workers;
worker_rlimit_nofile $hard_nofile;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events {
    worker_connections $worker_connections;
    multi_accept on;
}
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$port backlog=4096 reuseport;
        location / {
            default_type text/plain;
            return 200 "hello world\n";
        }
    }
    # h2c with prior knowledge (no TLS, no upgrade), as h2load and Surge's httpVersion "2" speak it on http://.
    server {
        listen 127.0.0.1:$h2_port http2 backlog=4096 reuseport;
        location / {
            default_type text/plain;
            return 200 "hello world\n";
        }
    }
}
EOF
    taskset -c 1 "$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
    nginx_pid=$!
    for _ in $(seq 50); do
        (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && return 0
        kill -0 "$nginx_pid" 2> /dev/null || die "nginx did not start: $(cat "$work/nginx/logs/error.log")"
        sleep 0.1
    done
    die "nginx did not listen on port $port within 5 s"
}

stop_nginx() {
    if [[ -n $nginx_pid ]]; then
        kill "$nginx_pid" 2> /dev/null || true
        wait "$nginx_pid" 2> /dev/null || true
        nginx_pid=""
    fi
}
start_nginx 1

mkdir -p "$bench_dir/results"
{
    echo "# Surge bench results"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
        "generator on core 0, nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2) on core 1 (1 worker; 2 for the memory run), open-files limit $hard_nofile."
    echo "Parts: ${parts[*]}. Shared, noisy machine: read the ratios, not the absolute numbers."
} > "$results_file"
report() { tee -a "$results_file"; }

# Runs one process pinned to core 0 under /usr/bin/time; leaves NAME.out, NAME.err and NAME.time
# ("elapsed user sys maxrss_kb") in $work and returns the process's exit status.
timed() {
    local name=$1
    shift
    local status=0
    /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" taskset -c 0 "$@" > "$work/$name.out" 2> "$work/$name.err" || status=$?
    return "$status"
}

# --- compare: the same keep-alive GET from every generator ---------------------------------------------
run_generator() {
    case $1 in
        wrk) timed wrk wrk -t1 -c"$connections" -d"${duration_s}s" "$target" ;;
        hey) timed hey hey -c "$connections" -z "${duration_s}s" "$target" ;;
        ab) timed ab ab -k -c "$connections" -t "$duration_s" -n 100000000 "$target" ;;
        locust)
            timed locust locust -f "$bench_dir/locustfile.py" --headless --host "${target%/}" \
                -u "$connections" -r "$connections" -t "${duration_s}s" --only-summary --loglevel WARNING \
                --csv "$work/locust"
            ;;
        surge)
            timed surge "$surge" run "$target" --vus "$connections" --duration "${duration_s}s" --quiet \
                --summary-export "$work/surge.json"
            ;;
        h2load) timed h2load h2load -t1 -c "$connections" -m 1 -D "$h2_duration_s" "$h2_target" ;;
        surge-h2)
            sed -e "s/^    vus: 50$/    vus: $connections/" -e "s/^    duration: 8s$/    duration: ${h2_duration_s}s/" \
                "$bench_dir/plans/http2.yaml" > "$work/http2.yaml"
            timed surge-h2 "$surge" run "$work/http2.yaml" --base-url "$h2_target" --quiet --summary-export "$work/surge-h2.json"
            ;;
        *) die "unknown generator '$1'; use wrk, hey, ab, locust or surge" ;;
    esac
}

# Prints "requests requests_per_second errors" from a generator's own report.
parse_generator() {
    python3 - "$1" "$work" << 'EOF'
import csv, json, re, sys
name, work = sys.argv[1], sys.argv[2]
def text(suffix): return open(f"{work}/{name}.{suffix}").read()
def number(pattern, source, default=None):
    found = re.search(pattern, source, re.M)
    if found is None:
        if default is None: sys.exit(f"{name}: no match for {pattern!r} in its output")
        return default
    return float(found.group(1))
if name == "wrk":
    out = text("out")
    count = number(r"^\s*(\d+) requests in", out)
    rate = number(r"^Requests/sec:\s*([\d.]+)", out)
    errors = number(r"Non-2xx or 3xx responses:\s*(\d+)", out, 0)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(g) for g in socket.groups()) if socket else 0
elif name == "hey":
    out = text("out")
    rate = number(r"Requests/sec:\s*([\d.]+)", out)
    statuses = [(int(s), int(n)) for s, n in re.findall(r"^\s*\[(\d+)\]\s+(\d+) responses", out, re.M)]
    count = sum(n for _, n in statuses)
    errors = sum(n for s, n in statuses if s >= 400)
    errors += sum(int(n) for n in re.findall(r"^\s*\[(\d+)\]\s+Get ", out, re.M))
elif name == "ab":
    out = text("out")
    count = number(r"^Complete requests:\s*(\d+)", out)
    rate = number(r"^Requests per second:\s*([\d.]+)", out)
    errors = number(r"^Failed requests:\s*(\d+)", out) + number(r"^Non-2xx responses:\s*(\d+)", out, 0)
elif name == "locust":
    rows = {row["Name"]: row for row in csv.DictReader(open(f"{work}/locust_stats.csv"))}
    total = rows["Aggregated"]
    count, rate, errors = float(total["Request Count"]), float(total["Requests/s"]), float(total["Failure Count"])
elif name == "h2load":
    out = text("out")
    rate = number(r"^finished in [\d.]+\w*, ([\d.]+) req/s", out)
    count = number(r"^requests: \d+ total, \d+ started, (\d+) done", out)
    errors = number(r"^requests: .* (\d+) failed", out) + number(r"^requests: .* (\d+) errored", out)
    errors += sum(int(n) for n in re.findall(r"([1-9]\d*) [345]xx", out))
elif name in ("surge", "surge-h2"):
    metrics = json.load(open(f"{work}/{name}.json"))["metrics"]
    count, rate = metrics["http_reqs"]["count"], metrics["http_reqs"]["rate"]
    errors = metrics.get("http_req_failed", {}).get("passes", 0)
print(int(count), rate, int(errors))
EOF
}

# Runs each generator named after the heading ($1) in turn and prints the table, with ratios to the first one.
compare_generators() {
    local heading=$1
    shift
    : > "$work/compare.tsv"
    for generator in "$@"; do
        echo "bench:   $generator" >&2
        status=0
        run_generator "$generator" || status=$?
        if [[ $status -ne 0 ]]; then
            echo "bench:   $generator exited with $status; stderr:" >&2
            tail -5 "$work/$generator.err" >&2
            printf '%s\tfailed\n' "$generator" >> "$work/compare.tsv"
            continue
        fi
        printf '%s\t%s\t%s\n' "$generator" "$(parse_generator "$generator")" "$(tail -1 "$work/$generator.time")" \
            >> "$work/compare.tsv"
    done
    python3 - "$work/compare.tsv" "$heading" "$1" << 'EOF' | report
import sys
path, heading, baseline = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for line in open(path):
    fields = line.rstrip("\n").split("\t")
    if fields[1] == "failed":
        rows.append((fields[0], None))
        continue
    count, rate, errors = fields[1].split()
    elapsed, user, system, rss_kb = fields[2].split()
    cpu = float(user) + float(system)
    rows.append((fields[0], dict(count=int(count), rate=float(rate), errors=int(errors), cpu=cpu,
                                 cpu_per_100k=cpu / int(count) * 100_000 if int(count) else None,
                                 rss_mb=int(rss_kb) / 1024)))
base = dict(rows).get(baseline)
print(f"\n## {heading}\n")
print(f"| generator | requests/s | CPU-s per 100k req | peak RSS MB | ratio to {baseline} (req/s) | CPU per req vs {baseline} | errors |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, r in rows:
    if r is None or r["cpu_per_100k"] is None:
        print(f"| {name} | {'failed' if r is None else 'no requests'} | | | | | |")
        continue
    ratio = f"{r['rate'] / base['rate']:.2f}" if base else "n/a"
    cpu_ratio = f"{r['cpu_per_100k'] / base['cpu_per_100k']:.1f}x" if base else "n/a"
    print(f"| {name} | {r['rate']:,.0f} | {r['cpu_per_100k']:.2f} | {r['rss_mb']:.0f} | {ratio} | {cpu_ratio} | {r['errors']} |")
EOF
}

if wants compare; then
    echo "bench: compare, ${connections} keep-alive connections for ${duration_s}s each: $generators" >&2
    # shellcheck disable=SC2086 # a word list
    compare_generators "Keep-alive GET, ${connections} connections, ${duration_s} s, generator alone on one core" $generators
fi

# --- h2: HTTP/2 over h2c, Surge beside h2load on nginx's http2 port -----------------------------------------
if wants h2; then
    start_nginx 1
    echo "bench: h2, ${connections} h2c connections with one stream in flight each, ${h2_duration_s}s each: h2load surge" >&2
    compare_generators "HTTP/2 (h2c) GET, ${connections} connections with one stream in flight each, ${h2_duration_s} s, generator alone on one core" \
        h2load surge-h2
fi

# --- arrival-rate accuracy (before the memory part, whose 20,000 closing connections disturb the next seconds) ---
if wants arrival; then
    start_nginx 1
    echo "bench: arrival, $arrival_rate/s for ${arrival_duration_s}s" >&2
    sed -e "s/^    rate: 20000$/    rate: $arrival_rate/" -e "s/^    duration: 30s$/    duration: ${arrival_duration_s}s/" \
        "$bench_dir/plans/arrival-rate.yaml" > "$work/arrival.yaml"
    status=0
    timed arrival "$surge" run "$work/arrival.yaml" --base-url "$target" --quiet \
        --summary-export "$work/arrival.json" || status=$?
    [[ $status -eq 0 ]] || { tail -5 "$work/arrival.err" >&2; die "arrival run exited with $status"; }
    python3 - "$work/arrival.json" "$arrival_rate" "$arrival_duration_s" "$(tail -1 "$work/arrival.time")" << 'EOF' | report
import json, sys
metrics = json.load(open(sys.argv[1]))["metrics"]
target, seconds = float(sys.argv[2]), float(sys.argv[3])
elapsed, user, system, rss_kb = sys.argv[4].split()
iterations = metrics.get("iterations", {}).get("count", 0)
dropped = metrics.get("dropped_iterations", {}).get("count", 0)
delay = metrics.get("iteration_start_delay", {})
failed = metrics.get("http_req_failed", {}).get("passes", 0)
achieved = iterations / seconds
error = (achieved - target) / target * 100
cpu = float(user) + float(system)
print(f"\n## Arrival rate {target:,.0f}/s for {seconds:.0f} s (constant-arrival-rate, 200 to 2,000 VUs)\n")
print("| measure | value | goal |")
print("|---|---:|---:|")
print(f"| achieved rate (iterations / {seconds:.0f} s) | {achieved:,.0f}/s | {target:,.0f}/s |")
print(f"| error vs target | {error:+.2f} % | within +-1 % |")
print(f"| dropped_iterations | {dropped:,.0f} | 0 |")
print(f"| iteration_start_delay p(99) (start-time jitter) | {delay.get('p(99)', float('nan')):.3f} ms | < 1 ms |")
print(f"| iteration_start_delay p(99.9) / max | {delay.get('p(99.9)', float('nan')):.3f} / {delay.get('max', float('nan')):.3f} ms | |")
print(f"| failed requests | {failed:,.0f} | 0 |")
print(f"| generator CPU (core 0 busy) | {cpu / float(elapsed) * 100:.0f} % | |")
EOF
fi

# --- open model: CPU per iteration against the closed model, at the same rates -------------------------------
# Runs one model at one rate on core 0 (run number REP) and appends "model rate requests steady_cpu_s window_s
# total_cpu_s elapsed p99_start_delay dropped" to open.tsv. The steady-state CPU is user+sys from /proc/PID/stat between 3 s and 1 s
# before the planned end, so start-up (about 0.9 CPU-s of compiling) does not drown the low rates.
open_model_run() {
    local model=$1 rate=$2 name="$1-$2-$3" plan
    plan="$work/$name.yaml"
    if [[ $model == open ]]; then
        local per_second=$rate vus=50
        [[ $rate == max ]] && per_second=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))["metrics"]; print(int(m["http_reqs"]["rate"]))' "$work/closed-max-$3.json")
        [[ $per_second -gt 5000 ]] && vus=$((per_second / 100))
        sed -e "s/^    rate: 1000$/    rate: $per_second/" -e "s/^    duration: 10s$/    duration: ${open_duration_s}s/" \
            -e "s/^    preAllocatedVUs: 50$/    preAllocatedVUs: $vus/" -e "s/^    maxVUs: 2000$/    maxVUs: $((vus * 40))/" \
            "$bench_dir/plans/open-model.yaml" > "$plan"
    else
        sed -e "s/^    duration: 10s$/    duration: ${open_duration_s}s/" "$bench_dir/plans/closed-model.yaml" > "$plan"
        if [[ $rate == max ]]; then
            sed -i -e "s/^    vus: 100$/    vus: 50/" -e "/think:/d" "$plan"
        else
            sed -i "s/^    vus: 100$/    vus: $((rate / 10 > 0 ? rate / 10 : 1))/" "$plan"
        fi
    fi
    /usr/bin/time -f '%e %U %S' -o "$work/$name.time" taskset -c 0 "$surge" run "$plan" --base-url "$target" --quiet \
        --summary-export "$work/$name.json" > "$work/$name.out" 2> "$work/$name.err" &
    background_pid=$!
    local pid="" ticks_per_s from to t0 t1
    for _ in $(seq 50); do
        pid=$(pgrep -P "$background_pid" || true)
        [[ -n $pid ]] && break
        sleep 0.02
    done
    [[ -n $pid ]] || die "the $name run did not start"
    ticks_per_s=$(getconf CLK_TCK)
    sleep 3
    from=$(awk '{ print $14 + $15 }' "/proc/$pid/stat") t0=$(date +%s.%N)
    sleep $((open_duration_s - 4))
    to=$(awk '{ print $14 + $15 }' "/proc/$pid/stat") t1=$(date +%s.%N)
    local status=0
    wait "$background_pid" || status=$?
    background_pid=""
    [[ $status -eq 0 ]] || { tail -5 "$work/$name.err" >&2; die "the $name run exited with $status"; }
    python3 - "$work/$name.json" "$model" "$rate" "$from" "$to" "$ticks_per_s" "$t0" "$t1" "$(cat "$work/$name.time")" \
        << 'EOF' >> "$work/open.tsv"
import json, sys
metrics = json.load(open(sys.argv[1]))["metrics"]
model, rate = sys.argv[2], sys.argv[3]
start, end, per_s, t0, t1 = map(float, sys.argv[4:9])
elapsed, user, system = sys.argv[9].split()[-3:]
requests = metrics["http_reqs"]["count"]
delay = metrics.get("iteration_start_delay", {}).get("p(99)", float("nan"))
dropped = metrics.get("dropped_iterations", {}).get("count", 0)
print(model, rate, requests, (end - start) / per_s, t1 - t0, float(user) + float(system), elapsed, delay, int(dropped), sep="\t")
EOF
}

if wants open-model; then
    start_nginx 1
    echo "bench: open-model, ${open_duration_s}s each, open and closed at: $open_rates" >&2
    : > "$work/open.tsv"
    for rate in $open_rates; do
        [[ $rate == max || $rate =~ ^[0-9]+$ ]] || die "OPEN_RATES: '$rate' is not a rate (a whole number, or max)"
    done
    for run in $(seq "$open_repeat"); do
        for rate in $open_rates; do
            echo "bench:   $rate/s: open and closed, run $run of $open_repeat" >&2
            if [[ $rate == max ]]; then
                open_model_run closed "$rate" "$run"
                open_model_run open "$rate" "$run"
            else
                open_model_run open "$rate" "$run"
                open_model_run closed "$rate" "$run"
            fi
        done
    done
    python3 - "$work/open.tsv" "$open_duration_s" "$open_repeat" << 'EOF' | report
import statistics, sys
path, seconds, repeat = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
runs = {}
for line in open(path):
    model, rate, requests, steady, window, total, elapsed, delay, dropped = line.rstrip("\n").split("\t")
    requests, steady, window, total = int(float(requests)), float(steady), float(window), float(total)
    # Requests in the sampling window, at the run's average rate (the load is flat once started).
    per_request = steady / (requests / seconds * window) * 1e6 if requests else float("nan")
    runs.setdefault((model, rate), []).append(dict(rate=requests / seconds, core=steady / window * 100, per_request=per_request,
                                                   total=total, delay=float(delay), dropped=int(dropped)))
def median(rows, key): return statistics.median(r[key] for r in rows)
def spread(rows, key, fmt): return f"{fmt(median(rows, key))} ({fmt(min(r[key] for r in rows))}-{fmt(max(r[key] for r in rows))})" if len(rows) > 1 else fmt(rows[0][key])
print(f"\n## Open model against closed model, same GET, {seconds:.0f} s each, generator alone on core 0\n")
print("Steady state: user+sys CPU of the process from 3 s to 1 s before the end, per request sent in that window.")
print("Closed model: rate/10 VUs thinking 50-150 ms; at `max` 50 VUs without think, and the open model at the rate they reached.")
print(f"Each model ran {repeat} time(s) at each rate, alternating: medians, with the range over the runs in brackets.\n")
print("| rate | model | requests/s | core busy | CPU per request | open / closed | whole run CPU-s | start delay p(99) | dropped |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for (model, rate), rows in sorted(runs.items(), key=lambda run: (run[0][1] == "max", run[0][1].isdigit() and int(run[0][1]), run[0][0] != "open")):
    other = runs.get(("closed", rate))
    ratio = f"{median(rows, 'per_request') / median(other, 'per_request'):.2f}x" if model == "open" and other else ""
    delay = spread(rows, "delay", lambda v: f"{v:.3f} ms") if model == "open" else ""
    dropped = f"{sum(r['dropped'] for r in rows):,}" if model == "open" else ""
    print(f"| {rate} | {model} | {median(rows, 'rate'):,.0f} | {spread(rows, 'core', lambda v: f'{v:.1f} %')} | "
          f"{spread(rows, 'per_request', lambda v: f'{v:.1f} µs')} | {ratio} | {median(rows, 'total'):.2f} | {delay} | {dropped} |")
EOF
fi

# --- memory per VU: idle VUs after one request each ---------------------------------------------------------
# Runs the memory plan with VUS VUs and sets rss_kb and sockets as sampled at MEMORY_SAMPLE_AT.
memory_run() {
    local vus=$1
    sed -e "s/^    vus: 20000$/    vus: $vus/" -e "s/^    duration: 25s$/    duration: ${memory_duration_s}s/" \
        "$bench_dir/plans/memory-per-vu.yaml" > "$work/memory-$vus.yaml"
    taskset -c 0 "$surge" run "$work/memory-$vus.yaml" --base-url "$target" --quiet \
        --summary-export "$work/memory-$vus.json" > "$work/memory-$vus.out" 2> "$work/memory-$vus.err" &
    background_pid=$!
    sleep "$memory_sample_s"
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$background_pid/status")
    sockets=$(find "/proc/$background_pid/fd" -lname 'socket:*' 2> /dev/null | wc -l)
    local status=0
    wait "$background_pid" || status=$?
    background_pid=""
    [[ $status -eq 0 ]] || { tail -5 "$work/memory-$vus.err" >&2; die "memory run with $vus VUs exited with $status"; }
}

if wants memory; then
    # Each VU keeps its connection open, so the surge process needs one descriptor per VU plus its own; with
    # less than a few hundred spare the runtime itself fails (it reported "Out of memory" at 200 spare).
    max_vus=$((hard_nofile - 500))
    memory_note=""
    if [[ $memory_vus -gt $max_vus ]]; then
        echo "bench: WARNING: open-files hard limit $hard_nofile (cannot be raised here) fits $max_vus VUs with" \
            "a connection each, not $memory_vus; measuring with $max_vus" >&2
        memory_note="Measured with $max_vus VUs instead of $memory_vus: the open-files hard limit ($hard_nofile) cannot be raised here and each VU holds a connection."
        memory_vus=$max_vus
    fi
    start_nginx 2
    echo "bench: memory, $memory_baseline_vus then $memory_vus VUs, RSS at ${memory_sample_s}s" >&2
    memory_run "$memory_baseline_vus"
    base_rss=$rss_kb base_sockets=$sockets
    memory_run "$memory_vus"
    big_rss=$rss_kb big_sockets=$sockets
    python3 - "$work" "$memory_sample_s" "$memory_note" \
        "$memory_baseline_vus" "$base_rss" "$base_sockets" "$memory_vus" "$big_rss" "$big_sockets" << 'EOF' | report
import json, sys
work, at, note = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = [tuple(map(int, sys.argv[i:i + 3])) for i in (4, 7)]
print(f"\n## Memory per VU (one GET, then think 60 s; RSS at {at} s)\n")
print("| VUs | RSS MB | open sockets at sampling | failed requests |")
print("|---:|---:|---:|---:|")
for vus, rss, sockets in runs:
    failed = json.load(open(f"{work}/memory-{vus}.json"))["metrics"].get("http_req_failed", {}).get("passes", 0)
    print(f"| {vus:,} | {rss / 1024:.0f} | {sockets:,} | {failed:,} |")
(base_vus, base_rss, _), (vus, rss, _) = runs
print(f"\n**{(rss - base_rss) / (vus - base_vus):.1f} KB per VU** = (RSS at {vus:,} - RSS at {base_vus:,}) / {vus - base_vus:,} (goal: <= 10 KB)")
if note:
    print(f"\n{note}")
EOF
fi

echo >&2
echo "bench: written to ${results_file#"$repo_dir"/}" >&2
