using Recipes.Deployment;
using Recipes.Deployment.Drift;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Drift;

public sealed class DriftCheckTests : IDisposable
{
    private const string Sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private readonly TempDirectory _state = new("drift-state");
    private readonly DeploymentEnvironment _environment = EnvironmentsFile.Parse("environments.yml", "environments:\n  - name: production\n    artifact: Acme.Shop.Api\n    port: 5080\n").Get("production");

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Each_place_is_compared_with_the_manifest_of_its_release_and_what_cannot_be_checked_says_why()
    {
        var manifests = new ReleaseManifests(_state.Path);
        manifests.Save("production", Manifest("Acme-1.0.0-abc", File("app.dll"), File("appsettings.json")));
        var listing = new Listing(
            new LiveRelease("host web-1 slot blue", "Acme-1.0.0-abc", "1.0.0", [File("app.dll"), File("appsettings.json")]),
            new LiveRelease("host web-2 slot blue", "Acme-1.0.0-abc", "1.0.0", [File("app.dll"), File("appsettings.json", size: 6), File("today.log")]),
            new LiveRelease("host web-3 slot blue", "Acme-1.0.0-abc", "1.0.0", null, "ssh: connect to host web-3 port 22: Connection refused"),
            new LiveRelease("slot green", "Acme-0.9.0-old", "0.9.0", [File("app.dll")]));

        var drift = await DriftCheck.RunAsync(_environment, listing, manifests, CancellationToken.None);

        drift.DriftedFiles.ShouldBe(1, "the log is ignored by default");
        drift.First.ShouldBe("host web-2 slot blue: changed  appsettings.json (size 5 -> 6)");
        drift.Unchecked.Select(p => p.Live.Place).ShouldBe(["host web-3 slot blue", "slot green"]);
        drift.Lines().ShouldBe([
            "production host web-1 slot blue (1.0.0, Acme-1.0.0-abc): no drift (2 files as deployed)",
            "production host web-2 slot blue (1.0.0, Acme-1.0.0-abc): 1 file(s) differ from what was deployed",
            "  changed  appsettings.json (size 5 -> 6)",
            "production host web-3 slot blue (1.0.0, Acme-1.0.0-abc): not checked: ssh: connect to host web-3 port 22: Connection refused",
            "production slot green (0.9.0, Acme-0.9.0-old): not checked: no manifest was recorded for it (deployed before Recipes recorded them); deploy again to record one",
        ]);
    }

    [Fact]
    public async Task An_environment_where_nothing_runs_has_nothing_to_check()
    {
        var drift = await DriftCheck.RunAsync(_environment, new Listing(), new ReleaseManifests(_state.Path), CancellationToken.None);

        (drift.DriftedFiles, drift.First).ShouldBe((0, null));
        drift.Lines().ShouldBe(["production: no release runs, nothing to check"]);
    }

    [Fact]
    public void A_damaged_manifest_is_an_error_naming_its_file_and_a_release_name_cannot_leave_the_folder()
    {
        var manifests = new ReleaseManifests(_state.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(manifests.PathOf("production", "r1"))!);
        System.IO.File.WriteAllText(manifests.PathOf("production", "r1"), "{ not json");

        Should.Throw<RecipeException>(() => manifests.Load("production", "r1")).Message.ShouldContain(manifests.PathOf("production", "r1"));
        Should.Throw<ArgumentException>(() => manifests.PathOf("production", "../ledger"));
    }

    private static ReleaseFileEntry File(string path, long size = 5) => new(path, size, size == 5 ? Sha : new string('a', 64), 0b100_000_000);

    private static ReleaseManifest Manifest(string release, params ReleaseFileEntry[] files) =>
        new(release, "Acme.Shop.Api", "1.0.0", "abc", DateTimeOffset.UnixEpoch, files);

    private sealed class Listing(params LiveRelease[] releases) : IReleaseFileListing
    {
        public Task<IReadOnlyList<LiveRelease>> ListLiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LiveRelease>>(releases);
    }
}
