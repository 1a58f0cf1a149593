#!/usr/bin/env bash
# The README's test command: on a Debian machine with the .NET 10 SDK, installs the Debian packages the tests
# start for real (only those missing, saying what and why), then runs the whole suite. Arguments go to `dotnet test`
# (e.g. ./test.sh --filter FullyQualifiedName~Yaml). On a machine already set up, `dotnet test Surge.slnx` is the same.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# package|a file it installs|why the tests need it
needs=(
  "chromium|/usr/bin/chromium|the browser tests of the HTML report and the live dashboard"
  "prometheus|/usr/bin/prometheus|the -o prometheus-rw tests query a real Prometheus (remote-write receiver)"
  "influxdb|/usr/bin/influxd|the -o influxdb tests query a real InfluxDB 1.x"
)

missing=()
for need in "${needs[@]}"; do
  IFS='|' read -r package file why <<<"$need"
  if [ ! -e "$file" ]; then
    echo "test.sh: installing Debian's $package ($file is missing): $why" >&2
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log="$(mktemp)"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "test.sh: apt-get could not install: ${missing[*]}" >&2
    exit 1
  fi
  rm -f "$log"
fi

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is missing (dotnet is not on PATH)" >&2; exit 1; }
dotnet test Surge.slnx "$@"
