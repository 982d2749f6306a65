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
            {"version":"1.1.0","artifacts":[
              {"id":"Service","version":"1.0.0","image":{"repository":"127.0.0.1:5000/service","tag":"1.0.0","digest":"sha256:{{{new string('f', 64)}}}"}},
              {"id":"Service","version":"1.1.0","sha512":"ab","image":{"repository":"127.0.0.1:5000/service","tag":"1.1.0","digest":"{{{Digest}}}"}}]}
            """);

        var image = ReleaseImage.FromManifest(path, "service", "1.1.0");

        image.ShouldBe(new ReleaseImage("127.0.0.1:5000/service", "1.1.0", Digest));
        image.Reference.ShouldBe($"127.0.0.1:5000/service@{Digest}");
    }

    [Fact]
    public void A_deployable_without_an_image_is_one_line_saying_to_push_one()
    {
        using var folder = new TempDirectory("recipes-manifest");
        var path = Write(folder, """{"artifacts":[{"id":"Service","version":"1.0.0","sha512":"ab"}]}""");

        var error = Should.Throw<RecipeException>(() => ReleaseImage.FromManifest(path, "Service", "1.0.0"));

        error.Message.ShouldBe($"{path} records no image for Service 1.0.0: the docker target deploys the image the commit stage pushed; set 'registry' (or RECIPES_REGISTRY) and run ./build.sh --target=CommitStage.");
    }

    [Fact]
    public void An_image_recorded_by_tag_only_is_refused()
    {
        using var folder = new TempDirectory("recipes-manifest");
        var path = Write(folder, """{"artifacts":[{"id":"Service","version":"1.0.0","image":{"repository":"r/service","tag":"1.0.0","digest":"1.0.0"}}]}""");

        Should.Throw<RecipeException>(() => ReleaseImage.FromManifest(path, "Service", "1.0.0")).Message.ShouldContain("pulls images by digest only");
    }

    private static string Write(TempDirectory folder, string json)
    {
        var path = folder.Combine("manifest.json");
        File.WriteAllText(path, json);
        return path;
    }
}
