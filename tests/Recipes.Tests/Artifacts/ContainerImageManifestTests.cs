using System.Text.Json;
using Recipes.Artifacts;

namespace Recipes.Tests.Artifacts;

/// <summary>A deployable's image in the manifest: repository, tag and the registry's digest beside the package's SHA-512.</summary>
public sealed class ContainerImageManifestTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TempDirectory _temp = new("recipes-image-manifest");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_deployable_s_image_is_written_beside_its_sha512_and_reads_back_the_same()
    {
        var manifest = Manifest(new ArtifactEntry("Acme.Shop.Api", "1.2.0", "deployable", "Acme.Shop.Api.1.2.0.nupkg", new string('e', 128))
        {
            Image = new ContainerImage("127.0.0.1:5000/acme.shop.api", "1.2.0", Digest),
        });
        var path = Path.Combine(_temp.Path, "manifest.json");

        manifest.Write(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var entry = json.RootElement.GetProperty("artifacts")[1];
        entry.GetProperty("sha512").GetString().ShouldBe(new string('e', 128));
        var image = entry.GetProperty("image");
        image.GetProperty("repository").GetString().ShouldBe("127.0.0.1:5000/acme.shop.api");
        image.GetProperty("tag").GetString().ShouldBe("1.2.0");
        image.GetProperty("digest").GetString().ShouldBe(Digest);
        json.RootElement.GetProperty("artifacts")[0].TryGetProperty("image", out _).ShouldBeFalse("a library has no image");

        var read = ArtifactManifest.Read(path);
        read.Artifacts.ShouldBe(manifest.Artifacts);
        read.Artifacts[1].Image!.PinnedReference.ShouldBe($"127.0.0.1:5000/acme.shop.api@{Digest}");
    }

    [Fact]
    public void A_manifest_written_before_images_existed_reads_with_no_image()
    {
        var path = Path.Combine(_temp.Path, "manifest.json");
        File.WriteAllText(path, """
            { "version": "1.0.0", "commit": "abc", "branch": "main", "buildTime": "2026-11-26T09:00:00+00:00",
              "artifacts": [ { "id": "Acme.Shop.Api", "version": "1.0.0", "kind": "deployable", "file": "a.nupkg", "sha512": "ff" } ] }
            """);

        ArtifactManifest.Read(path).Artifacts.ShouldHaveSingleItem().Image.ShouldBeNull();
    }

    private static ArtifactManifest Manifest(ArtifactEntry deployable) => new()
    {
        Version = deployable.Version,
        Commit = new string('a', 40),
        Branch = "main",
        BuildTime = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
        Artifacts = [new ArtifactEntry("Acme.Greeter", deployable.Version, "library", "Acme.Greeter.1.2.0.nupkg", new string('f', 128)), deployable],
    };
}
