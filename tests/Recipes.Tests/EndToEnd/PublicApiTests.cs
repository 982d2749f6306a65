namespace Recipes.Tests.EndToEnd;

/// <summary>The declared public API guards the package: a member can only go away through an [Obsolete] period.</summary>
[Trait("Category", "Slow")]
public sealed class PublicApiTests : IDisposable
{
    private const string Member = "public CakeHost UseSetting(string key, string value)";
    private readonly TempDirectory _temp = new("recipes-api");

    public PublicApiTests() =>
        RepositoryLayout.CopyTo(_temp.Path, "src", "eng", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "LICENSE", "THIRD-PARTY-NOTICES.md");

    public void Dispose() => _temp.Dispose();

    private string HostFile => Path.Combine(_temp.Path, "src", "Recipes", "Hosting", "CakeHost.cs");

    private ProcessResult Build() =>
        ProcessRunner.Run("dotnet", ["build", "src/Recipes/Recipes.csproj", "-c", "Release"], _temp.Path, TimeSpan.FromMinutes(5));

    [Fact]
    public void Removing_a_public_member_fails_the_build_while_marking_it_obsolete_first_does_not()
    {
        var source = File.ReadAllText(HostFile);
        source.ShouldContain(Member);

        File.WriteAllText(HostFile, source.Replace(Member, "[Obsolete(\"Use configuration files instead; removed in 2.0.\")]\n    " + Member));
        var obsoleted = Build();

        File.WriteAllText(HostFile, source.Replace(Member, "internal CakeHost UseSetting(string key, string value)"));
        var removed = Build();

        obsoleted.ExitCode.ShouldBe(0, obsoleted.All);
        removed.ExitCode.ShouldNotBe(0, removed.All);
        removed.All.ShouldContain("RS0017");
        removed.All.ShouldContain("Recipes.Hosting.CakeHost.UseSetting(string! key, string! value) -> Recipes.Hosting.CakeHost!");
    }
}
