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
    public void The_debug_symbols_a_native_build_splits_off_stay_in_the_publish_folder()
    {
        var publish = Publish();
        File.WriteAllText(Path.Combine(publish, "Acme.Web"), "a native executable");
        File.WriteAllText(Path.Combine(publish, "Acme.Web.dbg"), "its symbols");
        Directory.CreateDirectory(Path.Combine(publish, "Acme.Web.dSYM", "Contents"));
        File.WriteAllText(Path.Combine(publish, "Acme.Web.dSYM", "Contents", "Info.plist"), "macOS symbols");
        File.WriteAllText(Path.Combine(publish, "App.pdb"), "managed symbols, for line numbers in stack traces");

        var path = DeployablePackager.Pack(publish, "Acme.Web", "1.0.0", "Acme", Path.Combine(_temp.Path, "out"), "1764000000");

        using var reader = new PackageArchiveReader(path);
        reader.GetFiles().Where(f => f.StartsWith("app/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .ShouldBe(["app/Acme.Web", "app/App.dll", "app/App.pdb", "app/appsettings.json", "app/wwwroot/index.html"]);
        File.Exists(Path.Combine(publish, "Acme.Web.dbg")).ShouldBeTrue("left where the publish wrote it");
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
