#!/usr/bin/env bash
# Side by side in one run: `surge run URL --vus 50` against a private nginx, without outputs (off), with
# -o prometheus-rw and -o influxdb on (rw+influx), and with the other outputs on (others: -o prometheus scraped every
# second, -o hdrlog, -o opentelemetry towards a closed port, so its recording and encoding are measured and its
# exports fail at once). Servers run on core 1 with nginx; surge on core 0.
# Needs nginx, prometheus and influxdb (Debian packages). DURATION (default 6s) and ROUNDS (default 3) per variant.
set -euo pipefail
work=$(mktemp -d)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
surge=$work/surge/surge.dll
dotnet publish src/Surge.Cli -c Release -o "$work/surge" > /dev/null
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
np=$(free_port); pp=$(free_port); ip=$(free_port); ir=$(free_port); mp=$(free_port); op=$(free_port)
mkdir -p $work/nginx/logs $work/prom $work/influx
cat > $work/nginx/nginx.conf <<NG
worker_processes 1; daemon off; pid $work/nginx/nginx.pid; error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; server { listen 127.0.0.1:$np; location / { return 200 "hello world\n"; } } }
NG
printf 'global: {scrape_interval: 1s}\nscrape_configs: [{job_name: surge, static_configs: [{targets: ["127.0.0.1:%s"]}]}]\n' $mp > $work/prom/prometheus.yml
cat > $work/influx/influxdb.conf <<IN
reporting-disabled = true
bind-address = "127.0.0.1:$ir"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$ip"
  log-enabled = false
IN
taskset -c 1 /usr/sbin/nginx -p $work/nginx/ -c $work/nginx/nginx.conf -e $work/nginx/logs/error.log & n=$!
taskset -c 1 prometheus --config.file=$work/prom/prometheus.yml --storage.tsdb.path=$work/prom/data --web.listen-address=127.0.0.1:$pp --web.enable-remote-write-receiver > $work/prom.log 2>&1 & p=$!
taskset -c 1 influxd -config $work/influx/influxdb.conf > $work/influx.log 2>&1 & i=$!
trap 'kill $n $p $i 2>/dev/null; rm -rf "$work"' EXIT
sleep 4
run() {
  local name=$1; shift
  /usr/bin/time -f "%U %S" -o $work/$name.time taskset -c 0 dotnet $surge run http://127.0.0.1:$np/ --vus 50 --duration "${DURATION:-6s}" -q --summary-export $work/$name.json "$@" > $work/$name.out 2>&1
  python3 - "$work/$name.json" "$work/$name.time" "$name" <<'PY'
import json,sys
d=json.load(open(sys.argv[1])); t=open(sys.argv[2]).read().split()
reqs=d["metrics"]["http_reqs"]["count"]; rate=d["metrics"]["http_reqs"]["rate"]; cpu=float(t[0])+float(t[1])
print(f"{sys.argv[3]:<10} {reqs:>9} req {rate:>10.0f} req/s  cpu {cpu:5.2f} s  {cpu/reqs*1e5:5.2f} cpu-s/100k")
PY
}
for round in $(seq "${ROUNDS:-3}"); do
  run off$round
  run rw+influx$round -o prometheus-rw=http://127.0.0.1:$pp/api/v1/write -o influxdb=http://127.0.0.1:$ip/k6 --tag testid=bench$round
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$op run others$round -o prometheus=127.0.0.1:$mp -o hdrlog=$work/latency$round.hlog -o opentelemetry
done
grep -h "warn\|output" $work/rw+influx*.out || true
