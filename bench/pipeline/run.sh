#!/usr/bin/env bash
# The pipeline's overhead: ./build.sh --target=CommitStage on recipes/library against the same work scripted by
# hand with the raw commands (gitversion, dotnet build, dotnet test with the same loggers and coverage, dotnet pack,
# dotnet nuget push), in one run, alternating, from clean build folders. Prints medians and the ratio.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/bench/pipeline/.work"
runs="${RUNS:-3}"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
gitversion="$packages/gitversion.msbuild/6.8.2/tools/net10.0/gitversion.dll"
junit="$packages/junitxml.testlogger/8.1.0/build/_common/vstest"

rm -rf "$work" && mkdir -p "$work"
# The recipe as a team gets it: the Recipes package of this tree, in a feed, with a version of this run's own.
export RecipesVersion="0.0.0-bench.$(date +%Y%m%d%H%M%S)"
dotnet pack "$root/src/Recipes/Recipes.csproj" -c Release -p:Version="$RecipesVersion" -o "$work/recipes-feed" >/dev/null
cp -r "$root/recipes/library" "$work/repo"
cd "$work/repo"
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="team" value="$work/recipes-feed" /></packageSources></configuration>
XML
git init -q -b main && git add -A && git -c user.email=b@example.com -c user.name=bench commit -qm bench
./build.sh --tree >/dev/null 2>&1   # compile the build program once; both sides then start warm

clean() { rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj artifacts out; }
now_ms() { date +%s%N | cut -c1-13; }

ours() { ./build.sh --target=CommitStage --feed="$work/feed-ours-$1"; }

by_hand() {
  local v
  v=$(dotnet "$gitversion" . /showvariable SemVer)
  dotnet build Library.sln -c Release -p:Version="$v" -p:ContinuousIntegrationBuild=true
  dotnet test tests/Acme.Greeter.Tests -c Release --no-build --no-restore --results-directory out/test-results \
    --logger "trx" --logger "junit;LogFilePath=out/test-results/junit.xml" --collect "XPlat Code Coverage" \
    --test-adapter-path "$junit"
  dotnet pack src/Acme.Greeter -c Release --no-build --no-restore -p:Version="$v" -o out/packages
  mkdir -p "$work/feed-hand-$1"
  dotnet nuget push "out/packages/*.nupkg" -s "$work/feed-hand-$1"
}

ours_ms=() hand_ms=()
for ((i = 1; i <= runs; i++)); do
  clean; start=$(now_ms); ours "$i" >"$work/ours-$i.log" 2>&1 || { cat "$work/ours-$i.log"; exit 1; }; ours_ms+=($(( $(now_ms) - start )))
  clean; start=$(now_ms); by_hand "$i" >"$work/hand-$i.log" 2>&1 || { cat "$work/hand-$i.log"; exit 1; }; hand_ms+=($(( $(now_ms) - start )))
done

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
o=$(median "${ours_ms[@]}"); h=$(median "${hand_ms[@]}")
printf 'CommitStage on recipes/library, median of %s clean runs each (%s cores)\n' "$runs" "$(nproc 2>/dev/null || echo '?')"
printf '  ./build.sh --target=CommitStage  %6s ms   (runs: %s)\n' "$o" "${ours_ms[*]}"
printf '  raw commands by hand            %6s ms   (runs: %s)\n' "$h" "${hand_ms[*]}"
printf '  ratio                           %6s\n' "$(awk -v a="$o" -v b="$h" 'BEGIN { printf "%.3f", a / b }')"
