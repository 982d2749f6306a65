#!/usr/bin/env bash
# Cost of project discovery in a fresh process, RUNS times (default 5): registering the SDK with
# Microsoft.Build.Locator plus discovering a six-project solution, then a second, warm discovery.
# Each run starts with MSBuild variables that point nowhere, as a stale parent process could leave them:
# discovery must still use the SDK that dotnet picks (the program exits 1 if any project is misclassified).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${RUNS:-5}"
cd "$root"

dotnet build bench/discovery -c Release -o bench/discovery/.work/bin --nologo -v quiet -clp:ErrorsOnly
printf 'SDK %s, %s cores\n' "$(dotnet --version)" "$(nproc 2>/dev/null || echo '?')"
for ((i = 1; i <= runs; i++)); do
  MSBuildExtensionsPath=/nonexistent/sdk/ MSBuildSDKsPath=/nonexistent/sdk/Sdks MSBUILD_EXE_PATH=/nonexistent/MSBuild.dll \
    dotnet bench/discovery/.work/bin/Discovery.Bench.dll
done
