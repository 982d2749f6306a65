using Recipes.Artifacts.Images;

namespace Recipes.Tests.Artifacts.Images;

/// <summary>The name an app's image gets: the registry's path, the package id in lower case, the version as tag.</summary>
public sealed class ImageReferencesTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", "Acme.Shop.Api", "acme.shop.api")]
    [InlineData("registry.example.com/team/", "Acme.Shop.Api", "team/acme.shop.api")]
    [InlineData("registry.example.com/team", "Acme Shop+Api", "team/acme-shop-api")]
    public void The_repository_is_the_registry_s_path_and_the_lower_cased_package_id(string registry, string id, string repository)
    {
        ImageReferences.RepositoryFor(registry, id).ShouldBe(repository);
    }

    [Theory]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("1.2.1-ci.4", "1.2.1-ci.4")]
    [InlineData("1.2.1+build.7", "1.2.1-build.7")]
    public void The_tag_is_the_version_with_build_metadata_s_plus_made_a_dash(string version, string tag)
    {
        ImageReferences.TagFor(version).ShouldBe(tag);
    }
}
