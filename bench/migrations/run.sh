#!/usr/bin/env bash
# The time a deployment spends on migrations and the N-1 compatibility check, for the database sample (v1, v2's
# expand with its backfill, v3's contract) deployed through the real ./build.sh by DatabaseDeploymentTests, and their
# share of the task's time. Prints the lines the test writes; see tests/Recipes.Tests/EndToEnd/MigrationsBench.cs.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/Recipes.Tests -v q --nologo
dotnet test tests/Recipes.Tests --no-build --filter "FullyQualifiedName~DatabaseDeploymentTests" --logger "console;verbosity=detailed" \
  | grep -o 'migrations-bench: .*'
