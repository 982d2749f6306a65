#!/usr/bin/env bash
# The local deployment target, measured against baselines from the same run: blue-green switch time (router apply
# time, and the client's view of the switch), requests per second held through a switch, and canary split accuracy.
# RUNS (default 5) switches, alternating 1.0.0 -> 2.0.0 -> 1.0.0 ..., each in a 6 s window of load beside a 6 s
# window without a deployment; about 2 minutes with RUNS=5. Exits 1 if any request failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${RUNS:-5}"
cd "$root"

# No -o: it would send the TestApp's and the router's builds to the same folder, and the bench packs the TestApp's own.
dotnet build bench/deploy -c Release --nologo -v quiet >/dev/null
# The load average, before and after, says how much other work shared the cores (the baselines run interleaved with
# the switches for that reason).
printf 'SDK %s, %s cores, load average %s\n' "$(dotnet --version)" "$(nproc 2>/dev/null || echo '?')" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
status=0
dotnet bench/deploy/bin/Release/net10.0/Deploy.Bench.dll "$runs" || status=$?
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
exit "$status"
