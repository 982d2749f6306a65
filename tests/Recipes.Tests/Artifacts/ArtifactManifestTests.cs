using Recipes.Artifacts;

namespace Recipes.Tests.Artifacts;

public sealed class ArtifactManifestTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-manifest");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_written_manifest_reads_back_the_same()
    {
        var manifest = new ArtifactManifest
        {
            Version = "1.0.1-ci.3",
            Commit = new string('a', 40),
            Branch = "main",
            BuildTime = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
            CiRunUrl = "https://ci.example/runs/7",
            Artifacts = [new ArtifactEntry("Acme.Greeter", "1.0.1-ci.3", "library", "Acme.Greeter.1.0.1-ci.3.nupkg", new string('f', 128))],
        };
        var path = Path.Combine(_temp.Path, "sub", "manifest.json");

        manifest.Write(path);
        var read = ArtifactManifest.Read(path);

        read.Version.ShouldBe(manifest.Version);
        read.Commit.ShouldBe(manifest.Commit);
        read.BuildTime.ShouldBe(manifest.BuildTime);
        read.CiRunUrl.ShouldBe(manifest.CiRunUrl);
        read.Artifacts.ShouldBe(manifest.Artifacts);
        File.Exists(path + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public void A_corrupt_manifest_is_an_error_naming_the_file_and_what_to_do()
    {
        var path = Path.Combine(_temp.Path, "manifest.json");
        File.WriteAllText(path, "{ not json");

        var error = Should.Throw<RecipeException>(() => ArtifactManifest.Read(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("commit stage");
    }

    [Theory]
    [InlineData("GITHUB_RUN_ID=42;GITHUB_REPOSITORY=acme/shop;GITHUB_SERVER_URL=https://github.example", "https://github.example/acme/shop/actions/runs/42")]
    [InlineData("SYSTEM_COLLECTIONURI=https://dev.azure.com/acme/;SYSTEM_TEAMPROJECT=Shop Team;BUILD_BUILDID=9", "https://dev.azure.com/acme/Shop%20Team/_build/results?buildId=9")]
    [InlineData("CI_PIPELINE_URL=https://gitlab.example/acme/shop/-/pipelines/5", "https://gitlab.example/acme/shop/-/pipelines/5")]
    [InlineData("BUILD_URL=https://jenkins.example/job/shop/12/", "https://jenkins.example/job/shop/12/")]
    [InlineData("", null)]
    public void The_CI_run_url_comes_from_the_server_s_variables(string variables, string? expected)
    {
        var environment = variables.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

        ContinuousIntegrationRun.Url(name => environment.GetValueOrDefault(name)).ShouldBe(expected);
    }
}
