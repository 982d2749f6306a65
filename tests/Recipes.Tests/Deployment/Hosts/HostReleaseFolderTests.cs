using Recipes.Deployment.Hosts;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>The version a hosts release folder's name holds (what a slot kept warm is called in messages, and Drift's manifests).</summary>
public sealed class HostReleaseFolderTests
{
    [Theory]
    [InlineData("/srv/shop/releases/Acme.Shop.Api-1.2.0-0123456789ab-20261201T080000000Z", "1.2.0")]
    [InlineData("/srv/shop/releases/Acme.Shop.Api-1.2.0-ci.3-0123456789ab-20261201T080000000Z", "1.2.0-ci.3")]
    [InlineData("/srv/shop/releases/Other.App-1.2.0-0123456789ab-20261201T080000000Z", "?")]
    public void The_version_lies_between_the_id_and_the_digest(string folder, string version) =>
        HostReleases.VersionOf("Acme.Shop.Api", HostReleases.ManifestName(folder)).ShouldBe(version);
}
