using System.Diagnostics;
using System.Text.RegularExpressions;
using Recipes.Discovery;
using Recipes.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Recipes.Tests.Discovery;

/// <summary>A classic .sln made by the dotnet CLI, with one project left out of the Release build.</summary>
public sealed partial class SlnDiscoveryTests : IClassFixture<SlnDiscoveryTests.CliMadeSolution>
{
    private readonly CliMadeSolution _solution;
    private readonly ITestOutputHelper _output;

    public SlnDiscoveryTests(CliMadeSolution solution, ITestOutputHelper output)
    {
        _solution = solution;
        _output = output;
    }

    public sealed class CliMadeSolution : IDisposable
    {
        private readonly TempRepository _repo = new();

        public CliMadeSolution()
        {
            string[] projects =
            [
                _repo.Project("src/Shop.Core/Shop.Core.csproj", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>"),
                _repo.Project("src/Shop.Web/Shop.Web.csproj", sdk: "Microsoft.NET.Sdk.Web"),
                _repo.Project("src/Shop.Tool/Shop.Tool.csproj", "<OutputType>Exe</OutputType><PackAsTool>true</PackAsTool>"),
                _repo.Project("tests/Shop.Core.Tests/Shop.Core.Tests.csproj", items: """<PackageReference Include="xunit" Version="2.9.3" />"""),
                _repo.Project("tests/Shop.Web.IntegrationTests/Shop.Web.IntegrationTests.csproj",
                    items: """<PackageReference Include="NUnit" Version="4.4.0" />"""),
                _repo.Project("benchmarks/Shop.Benchmarks/Shop.Benchmarks.csproj", "<OutputType>Exe</OutputType>"),
                _repo.Project("tools/Shop.Scratch/Shop.Scratch.csproj"),
            ];
            Run("new", "sln", "--name", "Shop", "--format", "sln");
            Run(["sln", "Shop.sln", "add", .. projects]);
            Path = System.IO.Path.Combine(_repo.Root, "Shop.sln");
            LeaveOutOfReleaseBuild("Shop.Scratch");
        }

        public string Path { get; }

        public void Dispose() => _repo.Dispose();

        private void Run(params string[] arguments)
        {
            var result = ProcessRunner.Run("dotnet", arguments, _repo.Root, TimeSpan.FromMinutes(2));
            result.ExitCode.ShouldBe(0, result.All);
        }

        /// <summary>Unchecks Build for the project in Release, as Configuration Manager does.</summary>
        private void LeaveOutOfReleaseBuild(string projectName)
        {
            var text = File.ReadAllText(Path);
            var guid = ProjectGuid(projectName).Match(text).Groups["guid"].Value;
            guid.ShouldNotBeEmpty();
            var withoutBuild = string.Join('\n', text.Split('\n').Where(line => !line.Contains($"{guid}.Release|") || !line.Contains(".Build.0")));
            withoutBuild.ShouldNotBe(text);
            File.WriteAllText(Path, withoutBuild);
        }

        private static Regex ProjectGuid(string projectName) =>
            new($"Project\\(\"[^\"]+\"\\) = \"{Regex.Escape(projectName)}\", \"[^\"]+\", \"(?<guid>\\{{[^}}]+\\}})\"");
    }

    private IReadOnlyList<DiscoveredProject> Discover(Func<DiscoveredProject, DiscoveredProject>? reclassify = null)
    {
        var started = Stopwatch.StartNew();
        var projects = new ProjectDiscovery(_output.WriteLine).Discover(_solution.Path, reclassify);
        _output.WriteLine($"Discover took {started.ElapsedMilliseconds} ms (the SDK registration too, if this ran first).");
        return projects;
    }

    [Fact]
    public void The_projects_of_a_sln_are_classified()
    {
        var projects = Discover().ToDictionary(p => p.Name, p => (p.Kind, p.Stage));

        projects.ShouldBe(new Dictionary<string, (ProjectKind, TestStage?)>
        {
            ["Shop.Benchmarks"] = (ProjectKind.Other, null),
            ["Shop.Core"] = (ProjectKind.Library, null),
            ["Shop.Tool"] = (ProjectKind.Library, null),
            ["Shop.Web"] = (ProjectKind.Deployable, null),
            ["Shop.Core.Tests"] = (ProjectKind.Test, TestStage.Fast),
            ["Shop.Web.IntegrationTests"] = (ProjectKind.Test, TestStage.Slow),
        }, ignoreOrder: true);
    }

    [Fact]
    public void A_project_the_solution_does_not_build_in_Release_is_skipped_with_a_note()
    {
        var log = new List<string>();

        new ProjectDiscovery(log.Add).Discover(_solution.Path).ShouldNotContain(p => p.Name == "Shop.Scratch");

        log.ShouldContain($"Skipping {Path.Combine("tools", "Shop.Scratch", "Shop.Scratch.csproj")}: the solution does not build it in Release.");
    }

    [Fact]
    public void Reclassify_changes_a_project_and_the_stage_follows_the_kind()
    {
        var projects = Discover(p => p.Name switch
        {
            "Shop.Benchmarks" => p with { Kind = ProjectKind.Test },
            "Shop.Web.IntegrationTests" => p with { Kind = ProjectKind.Other },
            "Shop.Core" => p with { PackageId = "Shop" },
            _ => p,
        }).ToDictionary(p => p.Name);

        (projects["Shop.Benchmarks"].Kind, projects["Shop.Benchmarks"].Stage).ShouldBe((ProjectKind.Test, TestStage.Fast));
        (projects["Shop.Web.IntegrationTests"].Kind, projects["Shop.Web.IntegrationTests"].Stage).ShouldBe((ProjectKind.Other, null));
        projects["Shop.Core"].PackageId.ShouldBe("Shop");
        projects["Shop.Web"].Kind.ShouldBe(ProjectKind.Deployable);
    }

    [Fact]
    public void Reclassify_that_returns_null_is_an_error_naming_the_project() =>
        Should.Throw<InvalidOperationException>(() => Discover(_ => null!)).Message.ShouldContain("Shop.Benchmarks");
}
