using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support.Fleet;

/// <summary>
/// The test classes that deploy to the <see cref="Fleet"/>: never run at the same time, since they share its hosts and
/// may lose one. The end-to-end ones share one published <see cref="HostsSample"/>.
/// </summary>
/// <remarks>Its own file because bench/deploy compiles Fleet.cs without xunit.</remarks>
[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<HostsSample>
{
    /// <summary>The collection's name, for <c>[Collection(FleetCollection.Name)]</c>.</summary>
    public const string Name = "Fleet";
}
