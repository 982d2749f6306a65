using Recipes.Discovery;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Discovery;

namespace Recipes.Tests.Pipeline;

/// <summary>What Compile removes before it builds, on a temporary repository evaluated with MSBuild.</summary>
public sealed class PreviousBuildOutputsTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_configurations_outputs_go_and_restore_files_and_other_configurations_stay()
    {
        var library = _repository.Project("src/Lib/Lib.csproj");
        // A team that moved its outputs: the evaluated BaseOutputPath decides where they are, not the bin/ convention.
        var moved = _repository.Project("src/Moved/Moved.csproj", "<BaseOutputPath>../../out/Moved/</BaseOutputPath>");
        _repository.Slnx("All.slnx", [library, moved]);
        var stale = new[]
        {
            "src/Lib/bin/Release/net10.0/Lib.xml",
            "src/Lib/bin/Release/Lib.xml",
            "src/Lib/obj/Release/net10.0/Lib.dll",
            "out/Moved/Release/net10.0/Moved.dll",
            "src/Moved/obj/Release/net10.0/Moved.dll",
        };
        var kept = new[]
        {
            "src/Lib/obj/project.assets.json",
            "src/Lib/bin/Debug/net10.0/Lib.dll",
            "src/Moved/bin/Release/not-an-output-of-this-project.txt",
        };
        foreach (var file in stale.Concat(kept))
        {
            _repository.Write(file, "from an earlier build");
        }

        var projects = new ProjectDiscovery(_ => { }).Discover(Path.Combine(_repository.Root, "All.slnx"));
        var removed = PreviousBuildOutputs.Remove(projects, "Release", _repository.Root);

        removed.Select(folder => Path.GetRelativePath(_repository.Root, folder).Replace('\\', '/')).Order(StringComparer.Ordinal)
            .ShouldBe(["out/Moved/Release", "src/Lib/bin/Release", "src/Lib/obj/Release", "src/Moved/obj/Release"]);
        stale.Where(file => File.Exists(Path.Combine(_repository.Root, file))).ShouldBeEmpty();
        kept.Where(file => !File.Exists(Path.Combine(_repository.Root, file))).ShouldBeEmpty();
    }

    [Fact]
    public void The_artifacts_layouts_pivot_folders_of_the_configuration_go_too()
    {
        var project = Project("src/Lib/Lib.csproj", "artifacts/bin/Lib", "artifacts/obj/Lib");
        _repository.Write("artifacts/bin/Lib/release_net10.0/Lib.dll", "old");
        _repository.Write("artifacts/bin/Lib/release/Lib.xml", "old");
        _repository.Write("artifacts/obj/Lib/project.assets.json", "restore");
        _repository.Write("artifacts/bin/Lib/debug_net10.0/Lib.dll", "debug");

        PreviousBuildOutputs.Remove([project], "Release", _repository.Root).Count.ShouldBe(2);

        Directory.GetDirectories(Path.Combine(_repository.Root, "artifacts", "bin", "Lib")).Select(Path.GetFileName).ShouldBe(["debug_net10.0"]);
        File.Exists(Path.Combine(_repository.Root, "artifacts", "obj", "Lib", "project.assets.json")).ShouldBeTrue();
    }

    [Fact]
    public void Nothing_outside_the_repository_is_deleted()
    {
        using var elsewhere = new TempRepository();
        elsewhere.Write("shared/Release/other-team.dll", "not ours");
        var project = Project("src/Lib/Lib.csproj", Path.Combine(elsewhere.Root, "shared"));

        PreviousBuildOutputs.Remove([project], "Release", _repository.Root).ShouldBeEmpty();

        File.Exists(Path.Combine(elsewhere.Root, "shared", "Release", "other-team.dll")).ShouldBeTrue();
    }

    private DiscoveredProject Project(string relativePath, params string[] outputRoots) =>
        new(Path.Combine(_repository.Root, relativePath), Path.GetFileNameWithoutExtension(relativePath), ProjectKind.Library, null, true, ["net10.0"], null)
        {
            BuildOutputRoots = outputRoots.Select(root => Path.GetFullPath(root, _repository.Root)).ToList(),
        };
}
