#!/usr/bin/env bash
# A release's start-up with and without ReadyToRun, and Native AOT, in one run on one machine: Recipes.TestApp published
# three times (as Package publishes a deployable: framework-dependent plain; -r <this machine's RID>
# -p:PublishReadyToRun=true; and as an app that sets PublishAot, linked with gcc where there is no clang), then started
# RUNS times each, alternating, the way the local target starts a release (dotnet App.dll --urls ..., or the native
# executable itself).
# Per start: wall time from the start to the first 200 from /health, and the CPU time (user+sys) the process had used
# by then, which is what a starting release takes from the live one on a shared machine. Prints medians and ratios,
# with the load average before and after. RELEASE_ENV="DOTNET_TieredPGO=0 ..." adds a third column: the plain publish
# started with those runtime settings (to decide whether a release should be started with them: only if they help).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/bench/startup/.work/ready-to-run"
runs="${RUNS:-9}"
port="${PORT:-18231}"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"
app="$root/tests/Recipes.TestApp/Recipes.TestApp.csproj"

rm -rf "$work" && mkdir -p "$work"
dotnet publish "$app" -c Release -o "$work/plain" --nologo -v quiet >/dev/null
# Each RID publish has its own bin/ and obj/ (--artifacts-path): it would otherwise leave a <rid>/ folder in the
# TestApp's bin/, which bench/deploy and the tests pack with the app.
dotnet publish "$app" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$work/ready-to-run" --artifacts-path "$work/artifacts-ready-to-run" --nologo -v quiet >/dev/null
linker=(); command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
dotnet publish "$app" -c Release -r "$rid" -p:PublishAot=true "${linker[@]}" -o "$work/native-aot" --artifacts-path "$work/artifacts-native-aot" --nologo -v quiet >/dev/null
ticks="$(getconf CLK_TCK)"
now_ms() { date +%s%N | cut -c1-13; }

release_env="${RELEASE_ENV:-}"

# start_once FOLDER [VARIABLE=VALUE...]: prints "<ms to healthy> <cpu ms used by then>" for one start; the process is stopped after.
start_once() {
  local start pid elapsed cpu folder="$1"
  shift
  start=$(now_ms)
  if [[ -f "$folder/Recipes.TestApp.dll" ]]; then
    env "$@" dotnet "$folder/Recipes.TestApp.dll" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  else
    env "$@" "$folder/Recipes.TestApp" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  fi
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "the app in $folder exited before it was healthy" >&2; exit 1; }
    sleep 0.01
  done
  elapsed=$(( $(now_ms) - start ))
  # Fields 14 and 15 of /proc/PID/stat: user and system time in clock ticks.
  cpu=$(awk -v t="$ticks" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$pid/stat")
  kill "$pid" && wait "$pid" 2>/dev/null || true
  printf '%s %s\n' "$elapsed" "$cpu"
}

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf 'SDK %s, RID %s, %s cores, load average %s, %s starts each\n' "$(dotnet --version)" "$rid" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs"
start_once "$work/plain" >/dev/null && start_once "$work/ready-to-run" >/dev/null && start_once "$work/native-aot" >/dev/null
: >"$work/plain.txt" && : >"$work/ready-to-run.txt" && : >"$work/native-aot.txt" && : >"$work/settings.txt"
for ((i = 0; i < runs; i++)); do
  start_once "$work/plain" >>"$work/plain.txt"
  start_once "$work/ready-to-run" >>"$work/ready-to-run.txt"
  start_once "$work/native-aot" >>"$work/native-aot.txt"
  # shellcheck disable=SC2086 # RELEASE_ENV is a list of VARIABLE=VALUE words.
  [[ -z "$release_env" ]] || start_once "$work/plain" $release_env >>"$work/settings.txt"
done
plain_wall=$(cut -d' ' -f1 "$work/plain.txt" | median); plain_cpu=$(cut -d' ' -f2 "$work/plain.txt" | median)
r2r_wall=$(cut -d' ' -f1 "$work/ready-to-run.txt" | median); r2r_cpu=$(cut -d' ' -f2 "$work/ready-to-run.txt" | median)
aot_wall=$(cut -d' ' -f1 "$work/native-aot.txt" | median); aot_cpu=$(cut -d' ' -f2 "$work/native-aot.txt" | median)
printf '%-14s %18s %16s %14s\n' publish "start->healthy ms" "CPU ms by then" "size KB"
printf '%-14s %18s %16s %14s\n' plain "$plain_wall" "$plain_cpu" "$(du -sk "$work/plain" | cut -f1)"
printf '%-14s %18s %16s %14s\n' ready-to-run "$r2r_wall" "$r2r_cpu" "$(du -sk "$work/ready-to-run" | cut -f1)"
printf '%-14s %18s %16s %14s\n' native-aot "$aot_wall" "$aot_cpu" "$(du -sk "$work/native-aot" | cut -f1)"
printf 'ready-to-run / plain: start->healthy %s, CPU %s (medians; below 1 is faster)\n' "$(ratio "$r2r_wall" "$plain_wall")" "$(ratio "$r2r_cpu" "$plain_cpu")"
# A native start can use less than one clock tick of CPU (10 ms): its CPU ratio is then 0.
printf 'native-aot / plain: start->healthy %s, CPU %s\n' "$(ratio "$aot_wall" "$plain_wall")" "$(ratio "$aot_cpu" "$plain_cpu")"
if [[ -n "$release_env" ]]; then
  env_wall=$(cut -d' ' -f1 "$work/settings.txt" | median); env_cpu=$(cut -d' ' -f2 "$work/settings.txt" | median)
  printf 'plain with %s: start->healthy %s ms, CPU %s ms; / plain: %s, %s\n' "$release_env" "$env_wall" "$env_cpu" "$(ratio "$env_wall" "$plain_wall")" "$(ratio "$env_cpu" "$plain_cpu")"
fi
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
