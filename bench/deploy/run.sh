#!/usr/bin/env bash
# The local, docker and hosts deployment targets, measured in the same run against baselines from that run: blue-green switch
# time (route change sent -> first answer of the new release, router apply time, the client's view of the switch),
# failed requests and requests per second held through a switch, docker beside local, and (local) canary split
# accuracy. RUNS (default 5) switches per target, alternating 1.0.0 -> 2.0.0 -> 1.0.0 ..., each in a window of load
# that ends 2 s after the deployment, beside an 8 s window without a deployment. TARGETS=all (default), both (local and
# docker) or a comma list of local, docker, hosts; hosts makes three SSH hosts in network namespaces behind nginx (root,
# Linux; see tests/Recipes.Tests/Support/Fleet/Fleet.cs). Docker
# starts its own engine and registry (root, Linux; see tests/Recipes.Tests/Support/Docker/DockerWorld.cs) and needs
# minutes more the first time, to make the base image. TAIL (seconds, default 2) lengthens the window after each
# deployment; SLOW_START (seconds, default 0) gives the local and docker environments a blue-green slow start;
# RELEASE_CONFIG="NAME=VALUE;..." is their config, which each release gets as variables (a runtime setting of the app).
# Exits 1 if any request failed. run.sh --ready-to-run: the same
# with the releases published ReadyToRun; run.sh --native-aot: published Native AOT (compare with a run without).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${RUNS:-5}"
targets="${TARGETS:-all}"
cd "$root"

# No -o: it would send the TestApp's and the router's builds to the same folder, and the bench packs the TestApp's own.
dotnet build bench/deploy -c Release --nologo -v quiet -clp:ErrorsOnly
# --ready-to-run: the releases are a ReadyToRun publish of the TestApp (as Package publishes with ready-to-run=true);
# --native-aot: a Native AOT publish (as Package publishes an app that sets PublishAot), linked with gcc when there is
# no clang, as Package does.
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"
case "${1:-}" in
  --ready-to-run) publish=(--self-contained false -p:PublishReadyToRun=true) ;;
  --native-aot) publish=(-p:PublishAot=true); command -v clang >/dev/null || publish+=(-p:CppCompilerAndLinker=gcc) ;;
  "") publish=() ;;
  *) echo "run.sh: unknown option $1; use --ready-to-run, --native-aot or nothing" >&2; exit 2 ;;
esac
if [[ ${#publish[@]} -gt 0 ]]; then
  export RECIPES_BENCH_TESTAPP_DIRECTORY="$root/bench/deploy/.work/testapp${1#-}"
  rm -rf "$RECIPES_BENCH_TESTAPP_DIRECTORY"
  # Its own bin/ and obj/ (--artifacts-path): a build for a runtime identifier would otherwise leave a <rid>/ folder in
  # the TestApp's bin/, which the plain runs (and the tests) pack with the app.
  dotnet publish tests/Recipes.TestApp -c Release -r "$rid" "${publish[@]}" -o "$RECIPES_BENCH_TESTAPP_DIRECTORY" \
    --artifacts-path "$root/bench/deploy/.work/artifacts${1#-}" --nologo -v quiet >/dev/null
  echo "Releases published with ${1#--} for $rid"
fi
# The load average, before and after, says how much other work shared the cores (the baselines run interleaved with
# the switches for that reason).
printf 'SDK %s, %s cores, load average %s\n' "$(dotnet --version)" "$(nproc 2>/dev/null || echo '?')" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
status=0
dotnet bench/deploy/bin/Release/net10.0/Deploy.Bench.dll "$runs" "$targets" || status=$?
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
exit "$status"
