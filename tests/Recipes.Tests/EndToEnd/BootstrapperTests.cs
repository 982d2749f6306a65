namespace Recipes.Tests.EndToEnd;

/// <summary>Runs the real build.sh in a fresh copy of the repository, as a developer would after cloning.</summary>
[Trait("Category", "Slow")]
public sealed class BootstrapperTests : IClassFixture<BootstrapperTests.FreshCopy>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly FreshCopy _copy;

    public BootstrapperTests(FreshCopy copy) => _copy = copy;

    /// <summary>One copy for the class: compiling the build program is the expensive part.</summary>
    public sealed class FreshCopy : IDisposable
    {
        private readonly TempDirectory _temp = new("recipes-bootstrap");

        public FreshCopy()
        {
            Root = _temp.Path;
            RepositoryLayout.CopyTo(Root, "build.sh", "build.ps1", "build", "src", "eng", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json");
            File.WriteAllText(Path.Combine(Root, "build", "Probe.cs"), """
                using Cake.Common;
                using Cake.Common.Diagnostics;
                using Recipes.Hosting;
                using Recipes.Pipeline;

                [TaskName("Greet")]
                [TaskDescription("Say hello")]
                public sealed class Greet : FrostingTask<RecipeContext>
                {
                    public override void Run(RecipeContext context) =>
                        context.Information($"Hello, {context.Argument("name", "nobody")} from {System.IO.Directory.GetCurrentDirectory()}");
                }

                [TaskName("Fail")]
                public sealed class Fail : FrostingTask<RecipeContext>
                {
                    public override void Run(RecipeContext context) => throw new System.InvalidOperationException("the probe failed on purpose");
                }
                """);

            // The first run compiles; the tests below then see the warm path.
            First = Run(Root, "--target=Greet", "--name=first");
        }

        public string Root { get; }

        public ProcessResult First { get; }

        public ProcessResult Run(string workingDirectory, params string[] args) =>
            ProcessRunner.Run("bash", [Path.Combine(Root, "build.sh"), .. args], workingDirectory, Limit);

        public ProcessResult RunPowerShell(string workingDirectory, params string[] args) =>
            ProcessRunner.Run(PowerShell.Path, ["-NoProfile", "-File", Path.Combine(Root, "build.ps1"), .. args], workingDirectory, Limit);

        public void Dispose() => _temp.Dispose();
    }

    [Fact]
    public void The_first_run_compiles_the_build_program_then_runs_the_target()
    {
        _copy.First.ExitCode.ShouldBe(0, _copy.First.All);
        _copy.First.Error.ShouldContain("Compiling the build program");
        _copy.First.Output.ShouldContain("Hello, first from " + _copy.Root);
        _copy.First.Output.ShouldMatch(@"Greet\s+\d\d:\d\d:\d\d");
    }

    [Fact]
    public void A_warm_run_from_another_directory_skips_compiling_and_runs_at_the_repository_root()
    {
        using var elsewhereFolder = new TempDirectory("recipes-elsewhere");
        var elsewhere = elsewhereFolder.Path;

        var result = _copy.Run(elsewhere, "--target=Greet", "--name=warm");

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldNotContain("Compiling");
        result.Output.ShouldContain("Hello, warm from " + _copy.Root);
    }

    [Fact]
    public void A_failing_target_exits_1_and_names_the_task_and_the_error()
    {
        var result = _copy.Run(_copy.Root, "--target=Fail");

        result.ExitCode.ShouldBe(1, result.All);
        result.Error.ShouldContain("Task 'Fail' failed: the probe failed on purpose");
        result.Output.ShouldMatch(@"Fail\s+\d\d:\d\d:\d\d\.\d+\s+Failed");
    }

    [Fact]
    public void An_unknown_target_exits_2_with_a_suggestion()
    {
        var result = _copy.Run(_copy.Root, "--target=Gret");

        result.ExitCode.ShouldBe(2, result.All);
        result.Error.ShouldContain("Did you mean 'Greet'");
    }

    [Fact]
    public void Build_ps1_runs_the_same_program_and_passes_exit_codes_through()
    {
        using var elsewhereFolder = new TempDirectory("recipes-elsewhere");
        var elsewhere = elsewhereFolder.Path;

        var passing = _copy.RunPowerShell(elsewhere, "--target=Greet", "--name=pwsh");
        var failing = _copy.RunPowerShell(elsewhere, "--target=Fail");

        passing.ExitCode.ShouldBe(0, passing.All);
        passing.Output.ShouldContain("Hello, pwsh from " + _copy.Root);
        failing.ExitCode.ShouldBe(1, failing.All);
        failing.All.ShouldContain("Task 'Fail' failed: the probe failed on purpose");
    }
}
