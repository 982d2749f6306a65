using System.Diagnostics;
using Recipes.Discovery;
using Recipes.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Recipes.Tests.Discovery;

/// <summary>Discovery of a real (temporary) repository with MSBuild, evaluated once for the class.</summary>
public sealed class ProjectDiscoveryTests : IClassFixture<ProjectDiscoveryTests.DiscoveredRepository>
{
    private readonly DiscoveredRepository _discovered;

    public ProjectDiscoveryTests(DiscoveredRepository discovered, ITestOutputHelper output)
    {
        _discovered = discovered;
        output.WriteLine($"Discovered {discovered.Projects.Count} projects in {discovered.Elapsed.TotalMilliseconds:F0} ms:");
        discovered.Log.ForEach(output.WriteLine);
    }

    public sealed class DiscoveredRepository : IDisposable
    {
        public DiscoveredRepository()
        {
            var started = Stopwatch.StartNew();
            Projects = new ProjectDiscovery(Log.Add).Discover(Repository.Solution);
            Elapsed = started.Elapsed;
        }

        public MessyRepository Repository { get; } = new();

        public List<string> Log { get; } = [];

        public IReadOnlyList<DiscoveredProject> Projects { get; }

        public TimeSpan Elapsed { get; }

        public DiscoveredProject this[string name] => Projects.Single(p => p.Name == name);

        public void Dispose() => Repository.Dispose();
    }

    [Theory]
    [InlineData("Contoso.Core", ProjectKind.Library, null)]
    [InlineData("Contoso.Client", ProjectKind.Library, null)]
    [InlineData("Contoso.Web", ProjectKind.Deployable, null)]
    [InlineData("Contoso.Worker", ProjectKind.Deployable, null)]
    [InlineData("Contoso.Migrator", ProjectKind.Deployable, null)]
    [InlineData("Contoso.Admin", ProjectKind.Other, null)]
    [InlineData("Contoso.Cli", ProjectKind.Library, null)]
    [InlineData("Contoso.Internal", ProjectKind.Other, null)]
    [InlineData("Contoso.Testing", ProjectKind.Library, null)]
    [InlineData("Contoso.Seeder", ProjectKind.Other, null)]
    [InlineData("Contoso.Benchmarks", ProjectKind.Other, null)]
    [InlineData("Contoso.Samples", ProjectKind.Other, null)]
    [InlineData("Contoso.Demo", ProjectKind.Library, null)]
    [InlineData("Contoso.Core.Tests", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Client.Tests", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Legacy.Tests", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Ui.Tests", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Core.IntegrationTests", ProjectKind.Test, TestStage.Slow)]
    [InlineData("Contoso.Db.Tests", ProjectKind.Test, TestStage.Slow)]
    [InlineData("Contoso.Web.AcceptanceTests", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Smoke", ProjectKind.Test, TestStage.Fast)]
    [InlineData("Contoso.Infrastructure", ProjectKind.Other, null)]
    public void Each_project_gets_its_kind_and_stage(string name, ProjectKind kind, TestStage? stage)
    {
        var project = _discovered[name];

        project.Kind.ShouldBe(kind);
        project.Stage.ShouldBe(stage);
    }

    [Fact]
    public void Every_MSBuild_project_of_the_solution_is_found_once_ordered_by_path()
    {
        _discovered.Projects.Select(p => p.Path).ShouldBe(_discovered.Repository.ProjectPaths);
        _discovered.Projects.ShouldAllBe(p => Path.IsPathFullyQualified(p.Path));
    }

    [Fact]
    public void Entries_that_are_not_MSBuild_projects_are_skipped_with_a_note() =>
        _discovered.Log.ShouldContain("Skipping deploy/docker-compose.dcproj: not an MSBuild project (Unknown).");

    [Fact]
    public void A_multi_targeting_library_lists_its_frameworks_in_order() =>
        _discovered["Contoso.Core"].TargetFrameworks.ShouldBe(["net8.0", "net10.0"]);

    [Fact]
    public void A_single_target_framework_is_a_list_of_one() =>
        _discovered["Contoso.Web"].TargetFrameworks.ShouldBe(["net10.0"]);

    [Fact]
    public void The_package_id_defaults_to_the_project_name_and_follows_PackageId() =>
        (_discovered["Contoso.Core"].PackageId, _discovered["Contoso.Client"].PackageId).ShouldBe(("Contoso.Core", "Contoso.Client.Sdk"));

    [Fact]
    public void Test_projects_are_not_packable_before_restore_while_libraries_are()
    {
        _discovered["Contoso.Core.Tests"].IsPackable.ShouldBeFalse();
        _discovered["Contoso.Core"].IsPackable.ShouldBeTrue();
        _discovered["Contoso.Internal"].IsPackable.ShouldBeFalse();
    }

    [Fact]
    public void Discovery_needs_no_restore_and_leaves_no_obj_folders() =>
        Directory.EnumerateDirectories(_discovered.Repository.Root, "obj", SearchOption.AllDirectories).ShouldBeEmpty();

    [Fact]
    public void The_log_says_why_each_project_got_its_kind()
    {
        _discovered.Log.ShouldContain("src/Contoso.Web/Contoso.Web.csproj: Deployable (a web app (Microsoft.NET.Sdk.Web))");
        _discovered.Log.ShouldContain("tests/Contoso.Db.Tests/Contoso.Db.Tests.csproj: Test (Slow) (references a test framework package)");
    }

    [Fact]
    public void Evaluation_uses_the_sdk_that_dotnet_picks_for_the_repository_even_under_dotnet_test()
    {
        // `dotnet test` hands the test host MSBuildExtensionsPath and friends of the SDK that runs the tests;
        // registration must leave them pointing at the SDK it registered, the one `dotnet` picks in the repository.
        var sdkVersion = ProcessRunner.Run("dotnet", ["--version"], _discovered.Repository.Root, TimeSpan.FromMinutes(1)).Output.Trim();

        var extensionsPath = Environment.GetEnvironmentVariable("MSBuildExtensionsPath")!.TrimEnd('/', '\\');

        Path.GetFileName(extensionsPath).ShouldBe(sdkVersion);
        Environment.GetEnvironmentVariable("MSBuildSDKsPath").ShouldBe(Path.Combine(extensionsPath, "Sdks"));
        Environment.GetEnvironmentVariable("MSBUILD_EXE_PATH").ShouldBe(Path.Combine(extensionsPath, "MSBuild.dll"));
    }
}
