#!/usr/bin/env bash
# Runs this repository's build (build/Build.csproj) with every argument given, e.g. ./build.sh --target=Test.
# The build program is compiled only when one of its inputs changed; otherwise it starts at once, with no MSBuild.
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

current="$(fingerprint)"
if [[ ! -f "$out/Build.dll" || ! -f "$stamp" || "$(cat "$stamp")" != "$current" ]]; then
  echo "Compiling the build program ($project)..." >&2
  rm -f "$stamp"
  if ! dotnet build "$project" --configuration Release --nologo --verbosity quiet -clp:NoSummary -o "$out" >&2; then
    echo "error: could not compile $project; fix the errors above and run ./build.sh again." >&2
    exit 1
  fi
  mkdir -p "$(dirname "$stamp")"
  printf '%s\n' "$current" > "$stamp"
fi

exec dotnet "$out/Build.dll" "$@"
