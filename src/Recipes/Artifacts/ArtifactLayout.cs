namespace Recipes.Artifacts;

/// <summary>Where a run writes what it produces, all below one folder (default <c>artifacts/</c> in the repository).</summary>
public sealed class ArtifactLayout(string root)
{
    /// <summary>The artifacts folder itself.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Packages built by this run: libraries and deployable apps.</summary>
    public string Packages => Path.Combine(Root, "packages");

    /// <summary><c>dotnet publish</c> output of each deployable app, before it is packed.</summary>
    public string Publish => Path.Combine(Root, "publish");

    /// <summary>TRX, JUnit XML and coverage files, a folder per test project.</summary>
    public string TestResults => Path.Combine(Root, "test-results");

    /// <summary>The artifact manifest: what this run produced, with digests, for later stages and other machines.</summary>
    public string Manifest => Path.Combine(Root, "manifest.json");

    /// <summary>A private NuGet packages folder for the acceptance stage, so it restores the feed's artifact, not a cached copy.</summary>
    public string AcceptancePackages => Path.Combine(Root, "acceptance-packages");

    /// <summary>The manifest's packages as downloaded from the feed and checked against it: the acceptance stage's restore source.</summary>
    internal string CheckedPackages => Path.Combine(Root, "checked-packages");

    /// <summary>The smoke check's consumer projects, one folder per package; inside the repository, so its NuGet.config applies.</summary>
    internal string SmokeCheck => Path.Combine(Root, "smoke-check");
}
