using Recipes.Artifacts;
using Recipes.Deployment.Docker;
using Recipes.Tests.Support;
using Shouldly;
using Xunit;

namespace Recipes.Tests.Deployment.Docker;

public sealed class ReleaseImageTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_manifest_entry_of_the_version_gives_the_image_by_digest()
    {
        using var folder = new TempDirectory("recipes-manifest");
        var path = Write(folder, $$$"""
            {"version":"1.1.0","commit":"abc","branch":"main","buildTime":"2026-11-30T00:00:00Z","artifacts":[
              {"id":"Service","version":"1.0.0","image":{"repository":"127.0.0.1:5000/service","tag":"1.0.0","digest":"sha256:{{{new string('f', 64)}}}"}},
              {"id":"Service","version":"1.1.0","sha512":"ab","image":{"repository":"127.0.0.1:5000/service","tag":"1.1.0","digest":"{{{Digest}}}"}}]}
            """);

        var image = ReleaseImage.Of(Entry(path, "service", "1.1.0"), path);

        image.ShouldBe(new ContainerImage("127.0.0.1:5000/service", "1.1.0", Digest));
        image.PinnedReference.ShouldBe($"127.0.0.1:5000/service@{Digest}");
    }

    [Fact]
    public void A_deployable_without_an_image_is_one_line_saying_to_push_one()
    {
        using var folder = new TempDirectory("recipes-manifest");
        var path = Write(folder, """{"version":"1.0.0","commit":"abc","branch":"main","buildTime":"2026-11-30T00:00:00Z","artifacts":[{"id":"Service","version":"1.0.0","sha512":"ab"}]}""");

        var error = Should.Throw<RecipeException>(() => ReleaseImage.Of(Entry(path, "Service", "1.0.0"), path));

        error.Message.ShouldBe($"{path} records no image for Service 1.0.0: the docker target deploys the image the commit stage pushed; set 'registry' (or RECIPES_REGISTRY) and run ./build.sh --target=CommitStage.");
    }

    [Fact]
    public void An_image_recorded_by_tag_only_is_refused()
    {
        using var folder = new TempDirectory("recipes-manifest");
        var path = Write(folder, """{"version":"1.0.0","commit":"abc","branch":"main","buildTime":"2026-11-30T00:00:00Z","artifacts":[{"id":"Service","version":"1.0.0","image":{"repository":"r/service","tag":"1.0.0","digest":"1.0.0"}}]}""");

        Should.Throw<RecipeException>(() => ReleaseImage.Of(Entry(path, "Service", "1.0.0"), path)).Message.ShouldContain("pulls images by digest only");
    }

    // The typed manifest reader, as Deploy reads it: the image field must survive it.
    private static ArtifactEntry Entry(string path, string id, string version) =>
        ArtifactManifest.Read(path).Artifacts.Single(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase) && a.Version == version);

    private static string Write(TempDirectory folder, string json)
    {
        var path = folder.Combine("manifest.json");
        File.WriteAllText(path, json);
        return path;
    }
}
