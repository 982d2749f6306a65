using System.IO.Compression;
using System.Security.Cryptography;
using NuGet.Packaging;
using Recipes.Artifacts;

namespace Recipes.Tests.Artifacts;

public sealed class DeployablePackagerTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-deployable");

    public void Dispose() => _temp.Dispose();

    private string Publish()
    {
        var publish = Path.Combine(_temp.Path, "publish");
        Directory.CreateDirectory(Path.Combine(publish, "wwwroot"));
        File.WriteAllText(Path.Combine(publish, "App.dll"), "not really a dll");
        File.WriteAllText(Path.Combine(publish, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(publish, "wwwroot", "index.html"), "<html></html>");
        return publish;
    }

    [Fact]
    public void Every_published_file_travels_under_app_with_the_id_version_and_deployable_type()
    {
        var path = DeployablePackager.Pack(Publish(), "Acme.Web", "1.2.3-ci.4", "Acme", Path.Combine(_temp.Path, "out"), "1764000000");

        Path.GetFileName(path).ShouldBe("Acme.Web.1.2.3-ci.4.nupkg");
        using var reader = new PackageArchiveReader(path);
        reader.NuspecReader.GetId().ShouldBe("Acme.Web");
        reader.NuspecReader.GetVersion().ToNormalizedString().ShouldBe("1.2.3-ci.4");
        reader.GetPackageTypes().ShouldContain(t => t.Name == DeployablePackager.PackageType);
        reader.GetFiles().ShouldContain("app/App.dll");
        reader.GetFiles().ShouldContain("app/appsettings.json");
        reader.GetFiles().ShouldContain("app/wwwroot/index.html");
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes_so_a_rerun_is_already_in_the_feed()
    {
        var publish = Publish();

        var first = DeployablePackager.Pack(publish, "Acme.Web", "1.0.0", "Acme", Path.Combine(_temp.Path, "a"), "1764000000");
        File.SetLastWriteTimeUtc(Path.Combine(publish, "App.dll"), DateTime.UtcNow.AddHours(1));
        var second = DeployablePackager.Pack(publish, "Acme.Web", "1.0.0", "Acme", Path.Combine(_temp.Path, "b"), "1764000000");

        SHA512.HashData(File.ReadAllBytes(second)).ShouldBe(SHA512.HashData(File.ReadAllBytes(first)));
        using var zip = ZipFile.OpenRead(first);
        zip.Entries.ShouldAllBe(e => e.LastWriteTime.Year == 2025);
    }

    [Fact]
    public void An_empty_publish_folder_is_an_error_naming_the_app()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;

        var error = Should.Throw<RecipeException>(() => DeployablePackager.Pack(empty, "Acme.Web", "1.0.0", "Acme", _temp.Path, "0"));

        error.Message.ShouldContain("Acme.Web");
        error.Message.ShouldContain(empty);
    }
}
