using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// What a release may write: files by relative path land in its environment's data folder, which outlives every
/// release (deploys, rollbacks, Stop); its own release folder refuses writes, even when the app runs as root.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DataFolderTests(TestAppFeedFixture feed) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly LocalDeploymentHarness _harness = new(feed);

    [Fact]
    public async Task A_file_written_by_relative_path_is_read_by_the_next_release_and_after_a_rollback_and_the_release_folder_refuses_writes()
    {
        var dev = _harness.Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        var data = Path.Combine(_harness.StateDirectory, "dev", "data");
        await _harness.DeployAsync(dev, "1.0.0");

        (await PutAsync(dev, "note.txt", "written by 1.0.0")).ShouldBe(Path.Combine(data, "note.txt"));
        // appsettings.json is still read from the release folder (the content root), though the app works in its data folder.
        (await GetAsync(dev, "version")).ShouldBe("1.0.0");
        var first = _harness.RunningSlot(dev);
        (await WriteIntoReleaseAsync(dev)).ShouldNotStartWith("wrote", customMessage: $"the app wrote into {first.Release.Folder}");
        if (OperatingSystem.IsLinux())
        {
            var app = Supervision.ProgramPid(first.LogFile)!.Value;
            ProcessFiles.WorkingDirectory(app).ShouldBe(data);
            ProcessFiles.Environment(app)["RECIPES_DATA_DIR"].ShouldBe(data);
            ProcessFiles.Environment(app)["ASPNETCORE_CONTENTROOT"].ShouldBe(first.Release.Folder);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(data).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await _harness.DeployAsync(dev, "2.0.0");

        (await GetAsync(dev, "version")).ShouldBe("2.0.0");
        (await GetAsync(dev, "files/note.txt")).ShouldBe("written by 1.0.0");
        await PutAsync(dev, "second.txt", "written by 2.0.0");
        (await WriteIntoReleaseAsync(dev)).ShouldNotStartWith("wrote");

        await _harness.Deployment().RollbackAsync(dev, feed.Feed, "test", CancellationToken.None);

        (await GetAsync(dev, "version")).ShouldBe("1.0.0");
        (await GetAsync(dev, "files/note.txt")).ShouldBe("written by 1.0.0");
        (await GetAsync(dev, "files/second.txt")).ShouldBe("written by 2.0.0");

        await _harness.Deployment().StopAsync(dev, CancellationToken.None);

        Directory.GetFiles(data).Select(Path.GetFileName).ShouldBe(["note.txt", "second.txt"], ignoreOrder: true);
        Directory.GetFiles(Path.Combine(_harness.StateDirectory, "releases"), "*.txt", SearchOption.AllDirectories).ShouldBeEmpty();
        if (OperatingSystem.IsLinux())
        {
            // The read-only mounts lived in the releases' own namespaces, which ended with them.
            File.ReadAllText("/proc/self/mountinfo").ShouldNotContain(_harness.StateDirectory);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>Asks the live release to write into its own folder; its answer says what refused it, or starts with "wrote".</summary>
    internal static async Task<string> WriteIntoReleaseAsync(DeploymentEnvironment environment)
    {
        using var http = Client();
        using var response = await http.PostAsync($"http://127.0.0.1:{environment.Port}/write-release", null);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PutAsync(DeploymentEnvironment environment, string name, string text)
    {
        using var http = Client();
        using var response = await http.PutAsync($"http://127.0.0.1:{environment.Port}/files/{name}", new StringContent(text));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> GetAsync(DeploymentEnvironment environment, string path)
    {
        using var http = Client();
        return await http.GetStringAsync($"http://127.0.0.1:{environment.Port}/{path}");
    }

    private static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
}
