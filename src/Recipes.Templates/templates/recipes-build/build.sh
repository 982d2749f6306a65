#!/usr/bin/env bash
# Runs this repository's build (build/Build.csproj) with every argument given, e.g. ./build.sh --target=Test.
# The build program is compiled only when one of its inputs changed; otherwise it starts at once, with no MSBuild.
# A build/ that is still the template's is not compiled at all: the Recipes package carries that program ready to run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="build/Build.csproj"
# Everything that can change the build program. Missing entries are ignored.
inputs=(build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json NuGet.config)
out=".build/bin"
stamp=".build/inputs.sh.sha1"

cd "$root"

fingerprint() {
  local existing=() entry
  for entry in "${inputs[@]}"; do [[ -e "$entry" ]] && existing+=("$entry"); done
  {
    # Path, size and modification time of every input file: catches edits, additions and deletions.
    find "${existing[@]}" -type f -not -path '*/bin/*' -not -path '*/obj/*' -printf '%p %s %T@\n' 2>/dev/null \
      || find "${existing[@]}" -type f -not -path '*/bin/*' -not -path '*/obj/*' -exec stat -f '%N %z %m' {} +
  } | LC_ALL=C sort | { sha1sum 2>/dev/null || shasum; } | cut -d' ' -f1
}

# A feed the run names (--feed=... or RECIPES_FEED, as the build program reads them) is also a source of the build
# program's own packages, so that a first run with --feed works whatever NuGet.config names.
feed="${RECIPES_FEED:-}"
for argument in "$@"; do
  [[ "$argument" == --feed=* ]] && feed="${argument#--feed=}"
done
[[ "$feed" == "~/"* ]] && feed="$HOME/${feed#"~/"}"
sources=()
if [[ -n "$feed" ]]; then
  # A NuGet.config source that is missing (its default %HOME%/.recipes/feed on a new machine) must not fail the restore then.
  sources=("-p:RestoreAdditionalProjectSources=$feed" -p:RestoreIgnoreFailedSources=true -p:NoWarn=NU1801)
fi

# Prints the folder of the Recipes package that carries build/'s program ready to run, when build/ holds only the
# template's two files, unchanged but for the version, and restore already brought that version and what it needs.
template_program() {
  local version packages package files dependency
  files="$(cd build && find . -type f -not -path './bin/*' -not -path './obj/*' | LC_ALL=C sort | tr '\n' ' ')"
  [[ "$files" == "./Build.csproj ./Program.cs " ]] || return 1
  version="${RecipesVersion:-$(sed -n 's|.*<RecipesVersion[^>]*>\([^<]*\)</RecipesVersion>.*|\1|p' "$project" | head -n 1)}"
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || return 1   # a range or a floating version needs restore
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  package="$packages/recipes/$(printf '%s' "$version" | tr '[:upper:]' '[:lower:]')"
  [[ -f "$package/.nupkg.metadata" && -f "$package/tools/program/packages.txt" ]] || return 1
  for file in Build.csproj Program.cs; do
    cmp -s <(template_text "build/$file") <(template_text "$package/tools/program/template/$file") || return 1
  done
  while read -r dependency; do
    [[ -z "$dependency" || -d "$packages/$dependency" ]] || return 1
  done < "$package/tools/program/packages.txt"
  printf '%s' "$package"
}
# A file of build/ as the template wrote it: line endings and the Recipes version do not count.
template_text() { tr -d '\r' < "$1" | sed 's|<RecipesVersion\([^>]*\)>[^<]*</RecipesVersion>|<RecipesVersion\1></RecipesVersion>|'; }

build_program=(dotnet "$out/Build.dll")
if package="$(template_program)"; then
  build_program=(dotnet exec --additionalprobingpath "${NUGET_PACKAGES:-$HOME/.nuget/packages}" "$package/tools/program/Recipes.dll")
  current=""
else
  current="$(fingerprint)"
fi
if [[ -n "$current" && ( ! -f "$out/Build.dll" || ! -f "$stamp" || "$(cat "$stamp")" != "$current" ) ]]; then
  echo "Compiling the build program ($project)..." >&2
  rm -f "$stamp"
  if ! restore="$(dotnet restore "$project" ${sources[@]+"${sources[@]}"} --nologo --verbosity quiet 2>&1)"; then
    # NuGet's wall of text names the cause once per source and project; the first error is enough.
    cause="$(printf '%s\n' "$restore" | sed -n 's/.*error \(NU[0-9]*: .*\)/\1/p' | sed 's/ *\[[^]]*\]$//' | head -n 1)"
    echo "error: could not restore $project (${cause:-dotnet restore failed}); name the feed that holds the Recipes package in NuGet.config, or run ./build.sh --feed=<folder or URL of that feed>." >&2
    exit 1
  fi
  if ! dotnet build "$project" --no-restore --configuration Release --nologo --verbosity quiet -clp:NoSummary -o "$out" >&2; then
    echo "error: could not compile $project; fix the errors above and run ./build.sh again." >&2
    exit 1
  fi
  mkdir -p "$(dirname "$stamp")"
  printf '%s\n' "$current" > "$stamp"
fi

# The build program runs in a process group of its own (job control), holding everything it starts but deployments,
# which it starts in sessions of their own (setsid). When it is killed (kill -9 included) nothing else would stop its
# dotnet build / dotnet test children, so the rest of its group is ended here.
set -m
# The program ends its group itself should this script be killed first (kill -9), when nothing here could.
RECIPES_BOOTSTRAP_PID=$$ "${build_program[@]}" "$@" &
program=$!
for signal in INT TERM HUP; do
  trap "kill -s $signal -- -$program 2>/dev/null || true" "$signal"
done

status=0
terminal_owner="$(ps -o tpgid= -p $$ 2>/dev/null | tr -d ' ' || true)"
if [[ -t 0 && ( -z "$terminal_owner" || "$terminal_owner" == "$(ps -o pgid= -p $$ | tr -d ' ')" ) ]]; then
  # On a terminal the program takes it over, as it would have without the group: Ctrl+C and input reach it.
  fg %% >/dev/null || status=$?
else
  wait "$program" || status=$?
fi
# A signal forwarded above interrupts wait before the program has ended.
while kill -0 "$program" 2>/dev/null; do
  status=0
  wait "$program" || status=$?
done

if ((status > 128)); then
  kill -s TERM -- "-$program" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    kill -0 -- "-$program" 2>/dev/null || break
    sleep 0.1
  done
  kill -s KILL -- "-$program" 2>/dev/null || true
fi
exit "$status"
