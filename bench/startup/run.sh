#!/usr/bin/env bash
# Startup cost of the build entry point, measured in one run against two baselines:
#   (a) dotnet run --project build -- ...   the usual Cake.Frosting bootstrap (MSBuild evaluation every time)
#   (b) dotnet cake build.cake ...          the same graph as a .cake script on cake.tool 7.0.0
# Every command is warmed up once, then timed RUNS times; the median wall time is reported with ratios.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/bench/startup/.work"
runs="${RUNS:-11}"
cd "$root"

mkdir -p "$work"
if [[ ! -x "$work/tools/dotnet-cake" ]]; then
  echo "Installing cake.tool 7.0.0 into $work/tools ..." >&2
  dotnet tool install cake.tool --version 7.0.0 --tool-path "$work/tools" >/dev/null
fi
cp bench/startup/build.cake "$work/build.cake"

now_ms() { date +%s%N | cut -c1-13; }

# median_ms COMMAND... : prints the median wall time, in milliseconds, of $runs runs (output discarded).
median_ms() {
  "$@" >/dev/null 2>&1 || { echo "warm-up failed: $*" >&2; "$@"; exit 1; }
  local times=() i start
  for ((i = 0; i < runs; i++)); do
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    times+=($(( $(now_ms) - start )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cake() { (cd "$work" && "$work/tools/dotnet-cake" build.cake "$@"); }
cake_cached() { (cd "$work" && CAKE_SETTINGS_ENABLESCRIPTCACHE=true "$work/tools/dotnet-cake" build.cake "$@"); }

printf 'Median of %s warm runs, milliseconds (%s, %s cores)\n\n' "$runs" "$(dotnet --version)" "$(nproc 2>/dev/null || echo '?')"
printf '%-10s %12s %16s %14s %20s %10s %10s %14s\n' mode build.sh "dotnet run" "dotnet cake" "dotnet cake (cache)" "vs run" "vs cake" "vs cake cache"
for mode in --tree --dryrun; do
  ours=$(median_ms ./build.sh "$mode")
  run=$(median_ms dotnet run --project build -- "$mode")
  script=$(median_ms cake "$mode")
  cached=$(median_ms cake_cached "$mode")
  printf '%-10s %12s %16s %14s %20s %10s %10s %14s\n' "$mode" "$ours" "$run" "$script" "$cached" \
    "$(ratio "$ours" "$run")" "$(ratio "$ours" "$script")" "$(ratio "$ours" "$cached")"
done
printf '\nRatios are build.sh time divided by the baseline: below 1 means build.sh starts faster.\n'
