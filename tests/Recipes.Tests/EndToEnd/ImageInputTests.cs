using System.Net;
using System.Net.Sockets;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// Bad input around images, on recipes/service: a registry that cannot be reached, and a deployable the SDK's
/// container support is off for. Each is one line before anything is packed; nothing reaches the feed and no
/// manifest is written. Needs no engine: the registry is a closed loopback port.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ImageInputTests
{
    [Fact]
    public void An_unreachable_registry_and_a_deployable_without_container_support_are_one_line_each_and_nothing_is_published()
    {
        using var repo = new SampleRepository("service");
        var port = ClosedPort();
        string[] settings = ["--target=CommitStage", $"--registry=127.0.0.1:{port}"];
        var manifest = Path.Combine(repo.Repository, "artifacts", "manifest.json");

        var unreachable = repo.Build(settings);

        PipelineErrors.ShouldFailWithOneLine(unreachable, $"The registry 127.0.0.1:{port} cannot be reached (")
            .ShouldContain($"check that it runs and the registry setting is right: curl http://127.0.0.1:{port}/v2/");
        File.Exists(manifest).ShouldBeFalse("no manifest for a run that cannot push its images");
        repo.FeedContents().ShouldBeEmpty();

        var project = Path.Combine(repo.Repository, "src", "Acme.Shop.Api", "Acme.Shop.Api.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace(
            "<Description>", "<EnableSdkContainerSupport>false</EnableSdkContainerSupport>\n    <Description>", StringComparison.Ordinal));
        repo.Commit("No container support for the API");

        var unsupported = repo.Build(settings);

        PipelineErrors.ShouldFailWithOneLine(unsupported, $"Acme.Shop.Api ({project}) cannot be published as a container image to 127.0.0.1:{port}")
            .ShouldContain("set <EnableSdkContainerSupport>true</EnableSdkContainerSupport> in it, or unset registry");
        File.Exists(manifest).ShouldBeFalse();
        repo.FeedContents().ShouldBeEmpty();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
