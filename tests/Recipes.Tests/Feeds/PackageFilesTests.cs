using System.Security.Cryptography;
using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Feeds;

public sealed class PackageFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-package-files");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_the_id_and_normalized_version_from_the_nuspec_and_hashes_the_bytes()
    {
        // The file name says nothing true: identity comes from the nuspec.
        var built = TestPackages.Create(_temp.Path, "Contoso.Widgets", "1.2");
        var renamed = _temp.Combine("renamed.nupkg");
        File.Move(built, renamed);

        var package = PackageFiles.Read(renamed);

        package.Id.ShouldBe("Contoso.Widgets");
        package.Version.ShouldBe("1.2.0");
        package.Path.ShouldBe(renamed);
        package.Sha512.ShouldBe(Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(renamed))));
        package.Sha512.Length.ShouldBe(128);
    }

    [Fact]
    public void A_relative_path_is_made_full()
    {
        var built = TestPackages.Create(_temp.Path, "Contoso.Relative", "1.0.0");

        var package = PackageFiles.Read(Path.GetRelativePath(Environment.CurrentDirectory, built));

        package.Path.ShouldBe(built);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var missing = _temp.Combine("Nope.1.0.0.nupkg");

        var error = Should.Throw<RecipeException>(() => PackageFiles.Read(missing));

        error.Message.ShouldBe($"the package {missing} does not exist; run the Package stage before publishing");
    }

    [Fact]
    public void A_file_that_is_not_a_package_is_named_in_the_error()
    {
        var garbage = _temp.Combine("Garbage.1.0.0.nupkg");
        File.WriteAllText(garbage, "not a zip");

        var error = Should.Throw<RecipeException>(() => PackageFiles.Read(garbage));

        error.Message.ShouldStartWith($"{garbage} is not a readable .nupkg (");
    }
}
