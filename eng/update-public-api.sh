#!/usr/bin/env bash
# Declares every public member that the build reports as undeclared (RS0016) in src/Recipes/PublicAPI.Unshipped.txt.
# Run it after a deliberate addition to the public API; review the diff like any other change.
# Removals are never automatic: see docs/public-api.md (parallel change, with an [Obsolete] period).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/src/Recipes/Recipes.csproj"
unshipped="$root/src/Recipes/PublicAPI.Unshipped.txt"

added=$(dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false -clp:NoSummary 2>&1 \
  | grep -oE "RS0016: Symbol '.*' is not part of the declared public API" \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u || true)
if [[ -z "$added" ]]; then
  echo "The public API declaration is up to date."
  exit 0
fi
{ grep -v '^#nullable enable$' "$unshipped" || true; printf '%s\n' "$added"; } | LC_ALL=C sort -u > "$unshipped.tmp"
{ echo '#nullable enable'; cat "$unshipped.tmp"; } > "$unshipped"
rm "$unshipped.tmp"
echo "Declared $(printf '%s\n' "$added" | wc -l) public member(s) in src/Recipes/PublicAPI.Unshipped.txt."
