using System.Text.Json;
using NuGet.Versioning;
using Recipes.Artifacts;

namespace Recipes.Testing;

/// <summary>
/// Reads a slow test project's <c>project.assets.json</c> after its restore to see how it got each package under test:
/// from the feed at the version under test, or from a ProjectReference (the source, not the artifact), or not at all.
/// </summary>
internal static class ResolvedPackagesUnderTest
{
    /// <summary>The README section that shows how a slow test project references the published package.</summary>
    public const string ReadmeSection = "Slow tests against the published package";

    /// <summary>The outcome for one project.</summary>
    /// <param name="Problems">One line per package under test that the project resolved wrongly; the stage fails on any.</param>
    /// <param name="ResolvedAny">Whether the project resolved at least one package under test from the feed.</param>
    internal sealed record Outcome(IReadOnlyList<string> Problems, bool ResolvedAny);

    /// <summary>Compares the assets file's libraries with the libraries under test.</summary>
    /// <param name="assetsJson">The text of project.assets.json.</param>
    /// <param name="project">The project as the lines name it, e.g. <c>tests/Acme.Tests</c>.</param>
    /// <param name="underTest">The manifest's artifacts; only libraries can be package references.</param>
    /// <exception cref="RecipeException">The file is not an assets file.</exception>
    public static Outcome Check(string assetsJson, string project, IEnumerable<ArtifactEntry> underTest)
    {
        var libraries = ReadLibraries(assetsJson, project);
        var problems = new List<string>();
        var resolvedAny = false;
        foreach (var artifact in underTest.Where(a => a.Kind != "deployable"))
        {
            var expected = NuGetVersion.Parse(artifact.Version);
            var matches = libraries.Where(l => l.Id.Equals(artifact.Id, StringComparison.OrdinalIgnoreCase)).ToList();
            var fix = $"reference it as <PackageReference Include=\"{artifact.Id}\" Version=\"[$({PublishedPackageProperties.Version})]\" /> when {PublishedPackageProperties.Version} is set (README: \"{ReadmeSection}\")";
            foreach (var library in matches)
            {
                if (library.Type == "project")
                {
                    problems.Add($"{project} resolves {artifact.Id} from a ProjectReference, not from the feed: {fix}");
                }
                else if (!NuGetVersion.TryParse(library.Version, out var version) || version != expected)
                {
                    problems.Add($"{project} resolves {artifact.Id} {library.Version}, not the {expected.ToNormalizedString()} under test: {fix}");
                }
                else
                {
                    resolvedAny = true;
                }
            }
        }

        return new Outcome(problems, resolvedAny);
    }

    /// <summary>
    /// Where restore wrote the project's assets file: <c>obj/project.assets.json</c> unless the project moves its
    /// intermediate output (artifacts output, <c>MSBuildProjectExtensionsPath</c>); then MSBuild says where.
    /// </summary>
    public static string FindAssetsFile(string projectPath, IEnumerable<KeyValuePair<string, string>> properties)
    {
        var usual = Path.Combine(Path.GetDirectoryName(projectPath)!, "obj", "project.assets.json");
        if (File.Exists(usual))
        {
            return usual;
        }

        var asked = Versioning.ToolProcess.Run(
            DotnetHost.Path(),
            ["msbuild", projectPath, "-getProperty:ProjectAssetsFile", .. properties.Select(p => $"-p:{p.Key}={p.Value}")],
            Path.GetDirectoryName(projectPath)!,
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string?>());
        var path = asked.Output.Trim();
        return asked.ExitCode == 0 && File.Exists(path)
            ? path
            : throw new RecipeException($"{projectPath} was restored but its project.assets.json is neither at {usual} nor where MSBuild's ProjectAssetsFile says ('{path}'); run dotnet restore on it to see why");
    }

    private static List<(string Id, string Version, string Type)> ReadLibraries(string assetsJson, string project)
    {
        try
        {
            using var document = JsonDocument.Parse(assetsJson);
            if (!document.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
            {
                throw new RecipeException($"{project}'s project.assets.json has no libraries; delete its obj folder and run again");
            }

            var result = new List<(string, string, string)>();
            foreach (var library in libraries.EnumerateObject())
            {
                // Keys are "Id/Version"; the type is "package" or "project".
                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                var type = library.Value.TryGetProperty("type", out var typeValue) ? typeValue.GetString() ?? string.Empty : string.Empty;
                result.Add(slash < 0 ? (library.Name, string.Empty, type) : (library.Name[..slash], library.Name[(slash + 1)..], type));
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new RecipeException($"{project}'s project.assets.json is not valid JSON ({ex.Message}); delete its obj folder and run again", ex);
        }
    }
}
