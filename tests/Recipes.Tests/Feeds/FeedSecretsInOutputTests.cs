using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Feeds;
using Recipes.Hosting;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;
using Recipes.Tests.Support.NuGetServer;

namespace Recipes.Tests.Feeds;

/// <summary>The API key never reaches the build's output, whatever a feed echoes back and however much is printed.</summary>
public sealed class FeedSecretsInOutputTests(NuGetServerFixture fixture) : IClassFixture<NuGetServerFixture>
{
    private LocalNuGetServer Server => fixture.Server;

    [Fact]
    public void A_403_whose_reason_phrase_echoes_the_key_prints_the_status_and_the_feed_but_never_the_key_at_diagnostic_verbosity()
    {
        var artifacts = WriteArtifacts(NuGetServerFixture.UniqueId("Forbidden"));
        Server.FailNextRequests(1, 403, "PUT", $"Forbidden key {NuGetServerFixture.ApiKey}");
        var harness = new HostHarness(new() { ["RECIPES_FEED_API_KEY"] = NuGetServerFixture.ApiKey });
        harness.Host.UseRecipe();

        var exit = harness.Run("--target=Publish", "--exclusive", "--verbosity=diagnostic", $"--artifacts={artifacts}", $"--feed={Server.ServiceIndex}");

        var printed = harness.Output + harness.Error;
        exit.ShouldBe(1, printed);
        printed.ShouldNotContain(NuGetServerFixture.ApiKey);
        printed.ShouldContain($"the feed {Server.ServiceIndex} rejected the API key (403)");
        // The feed's own words, masked: the inner exception and its stack were printed, and went through the redactor.
        printed.ShouldContain("Forbidden key ***");
        printed.ShouldContain("   at ");
    }

    [Fact]
    public async Task The_feed_s_exception_keeps_the_echoed_reason_phrase_as_its_cause_with_the_key_masked()
    {
        var package = PackageFiles.Read(TestPackages.Create(fixture.NewDirectory("packages"), NuGetServerFixture.UniqueId("Echoed"), "1.0.0"));
        Server.FailNextRequests(1, 403, "PUT", $"Forbidden key {NuGetServerFixture.ApiKey}");

        var refused = await Should.ThrowAsync<FeedAuthenticationException>(
            new HttpFeed(Server.ServiceIndex, NuGetServerFixture.ApiKey).PushAsync(package, CancellationToken.None));

        // What a team's own code might log: the exception with its causes and stacks.
        var text = refused.ToString();
        text.ShouldNotContain(NuGetServerFixture.ApiKey);
        text.ShouldContain("Forbidden key ***");
        text.ShouldContain("System.Net.Http.HttpRequestException");
    }

    [Fact]
    public void The_key_in_any_task_s_log_line_or_exception_is_masked_by_the_host_at_diagnostic_verbosity()
    {
        var harness = new HostHarness(new() { ["RECIPES_FEED_API_KEY"] = NuGetServerFixture.ApiKey });
        harness.Host.UseRecipe().AddTask<EchoTheKey>();

        var exit = harness.Run("--target=EchoTheKey", "--verbosity=diagnostic");

        var printed = harness.Output + harness.Error;
        exit.ShouldBe(1, printed);
        printed.ShouldNotContain(NuGetServerFixture.ApiKey);
        printed.ShouldContain("calling the tool with ***");
        printed.ShouldContain("the tool said: bad key ***");
    }

    /// <summary>A team's task that lets the key slip into a log line and an exception's cause.</summary>
    [TaskName(nameof(EchoTheKey))]
    public sealed class EchoTheKey : FrostingTask<RecipeContext>
    {
        public override void Run(RecipeContext context)
        {
            context.Log.Verbose("calling the tool with {0}", NuGetServerFixture.ApiKey);
            throw new RecipeException("the tool failed", new InvalidOperationException($"the tool said: bad key {NuGetServerFixture.ApiKey}"));
        }
    }

    /// <summary>An artifacts folder holding one package and the manifest that names it, as the Package stage leaves it.</summary>
    private string WriteArtifacts(string id)
    {
        var artifacts = fixture.NewDirectory("artifacts");
        var package = PackageFiles.Read(TestPackages.Create(Path.Combine(artifacts, "packages"), id, "1.0.0"));
        new ArtifactManifest
        {
            Version = package.Version,
            Commit = new string('a', 40),
            Branch = "main",
            BuildTime = DateTimeOffset.UnixEpoch,
            Artifacts = [new ArtifactEntry(package.Id, package.Version, "library", Path.GetFileName(package.Path), package.Sha512)],
        }.Write(Path.Combine(artifacts, "manifest.json"));
        return artifacts;
    }
}
