#!/usr/bin/env bash
# The pipeline's overhead: ./build.sh --target=CommitStage on recipes/library against the same work scripted by
# hand with the raw commands (gitversion, dotnet build, dotnet test with the same loggers and coverage, dotnet pack,
# dotnet nuget push), in one run, alternating. Two cases, each against its own baseline:
#   fresh     what every CI run is: a new clone, a warm NuGet cache, the build program not yet compiled (build/ is
#             the template's, so build.sh runs the program the Recipes package carries)
#   compiled  the same with a file of the team's own in build/, which build.sh must compile first
#   warm      a developer's re-run: the build program compiled, bin/ and obj/ of the solution removed
# Prints medians and the ratios. CASES="fresh warm" runs some of them; RUNS sets the runs per side (3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/bench/pipeline/.work"
runs="${RUNS:-3}"
cases="${CASES:-fresh compiled warm}"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
gitversion="$packages/gitversion.msbuild/6.8.2/tools/net10.0/gitversion.dll"
junit="$packages/junitxml.testlogger/8.1.0/build/_common/vstest"

rm -rf "$work" && mkdir -p "$work"
# The recipe as a team gets it: the Recipes package of this tree, in a feed, with a version of this run's own.
export RecipesVersion="0.0.0-bench.$(date +%Y%m%d%H%M%S)"
dotnet pack "$root/src/Recipes/Recipes.csproj" -c Release -p:Version="$RecipesVersion" -o "$work/recipes-feed" >/dev/null
cp -r "$root/recipes/library" "$work/origin"
cd "$work/origin"
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="team" value="$work/recipes-feed" /></packageSources></configuration>
XML
git init -q -b main && git add -A && git -c user.email=b@example.com -c user.name=bench commit -qm bench
# Warms the NuGet cache (the Recipes package of this run, the test packages) and the SDK, as any machine has them.
git clone -q "$work/origin" "$work/warm" && (cd "$work/warm" && ./build.sh --tree >/dev/null 2>&1 \
  && dotnet build Library.sln -c Release >/dev/null)

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

# prepare CASE SIDE N: the working tree a run starts from; prints its path.
prepare() {
  local dir="$work/$1-$2-$3"
  case "$1" in
    fresh) git clone -q "$work/origin" "$dir" ;;
    compiled) git clone -q "$work/origin" "$dir" && echo 'internal static class TeamCode { }' > "$dir/build/TeamCode.cs" ;;
    warm)  dir="$work/warm"; (cd "$dir" && rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj artifacts out) ;;
  esac
  printf '%s' "$dir"
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

printf 'CommitStage on recipes/library, median of %s runs per side (%s cores, load %s)\n' "$runs" \
  "$(nproc 2>/dev/null || echo '?')" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
for case in $cases; do
  ours_ms=() hand_ms=()
  for ((i = 1; i <= runs; i++)); do
    dir=$(prepare "$case" ours "$i"); start=$(now_ms)
    (cd "$dir" && ours "$case-$i") >"$work/$case-ours-$i.log" 2>&1 || { cat "$work/$case-ours-$i.log"; exit 1; }
    ours_ms+=($(( $(now_ms) - start )))
    dir=$(prepare "$case" hand "$i"); start=$(now_ms)
    (cd "$dir" && by_hand "$case-$i") >"$work/$case-hand-$i.log" 2>&1 || { cat "$work/$case-hand-$i.log"; exit 1; }
    hand_ms+=($(( $(now_ms) - start )))
  done
  o=$(median "${ours_ms[@]}"); h=$(median "${hand_ms[@]}")
  printf '%s\n' "$case"
  printf '  ./build.sh --target=CommitStage  %6s ms   (runs: %s)\n' "$o" "${ours_ms[*]}"
  printf '  raw commands by hand            %6s ms   (runs: %s)\n' "$h" "${hand_ms[*]}"
  printf '  ratio                           %6s\n' "$(awk -v a="$o" -v b="$h" 'BEGIN { printf "%.3f", a / b }')"
done
