using Recipes.Deployment;
using Recipes.Deployment.Drift;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Drift;

/// <summary>The local target records each release folder's files when it unpacks it, and never starts a kept folder that drifted.</summary>
public sealed class LocalReleaseManifestTests(TestAppFeedFixture fixture) : IClassFixture<TestAppFeedFixture>, IDisposable
{
    private readonly TempDirectory _state = new("drift-local");
    private readonly List<string> _log = [];
    private readonly DeploymentEnvironment _environment = EnvironmentsFile.Parse("environments.yml", "environments:\n  - name: staging\n    artifact: Recipes.TestApp\n    port: 5080\n").Get("staging");

    public void Dispose()
    {
        new ReleaseStore(_state.Combine("releases", "staging")).Prune(keep: 0);
        _state.Dispose();
    }

    [Fact]
    public async Task An_unpacked_folder_has_its_manifest_and_a_kept_folder_edited_by_hand_is_not_started_again()
    {
        var artifacts = new LocalReleaseArtifacts(_state.Path, _log.Add);
        var request = new DeploymentRequest(_environment, fixture.Feed, TestAppFeedFixture.Version, fixture.Package.Sha512, "abc123", DeploymentKind.Deploy, "tester");
        await using var fetched = await artifacts.FetchAsync(request, CancellationToken.None);
        var release = await artifacts.PrepareAsync(_environment, fetched, CancellationToken.None);

        var name = Path.GetFileName(release.Location);
        var manifest = new ReleaseManifests(_state.Path).Load("staging", name).ShouldNotBeNull();
        (manifest.Release, manifest.Version, manifest.Digest).ShouldBe((name, TestAppFeedFixture.Version, fixture.Package.Sha512));
        manifest.Files.ShouldBe(ReleaseFileEntry.OfFolder(release.Location));
        manifest.Files.Select(f => f.Path).ShouldContain(TestAppFeedFixture.Id + ".dll");
        var record = new DeploymentRecord("staging", TestAppFeedFixture.Id, TestAppFeedFixture.Version, fixture.Package.Sha512, "abc123", "in-place", DeploymentKind.Deploy, "tester");
        artifacts.FindKept(_environment, record).ShouldNotBeNull().Location.ShouldBe(release.Location);

        var settings = Path.Combine(release.Location, TestAppFeedFixture.Id + ".runtimeconfig.json");
        EditByHand(release.Location, settings);

        artifacts.FindKept(_environment, record).ShouldBeNull("a drifted folder is fetched and checked again, not started");
        _log[^1].ShouldContain($"{name} drifted since it was unpacked (1 file(s), first changed  {TestAppFeedFixture.Id}.runtimeconfig.json");
    }

    /// <summary>What an operator does to a read-only release folder: chmod, then edit.</summary>
    private static void EditByHand(string folder, string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        File.AppendAllText(file, "\n");
    }
}
