using Recipes.Artifacts;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// recipes/service for the hosts end-to-end classes, with v1, v2 and a broken v3 (every second /version a 500) each
/// published once for all of them by the real commit stage: a CommitStage costs a minute or more. The repository, its
/// feed and its state folder are shared; each class deploys an environment of its own (<see cref="HostsEnvironment"/>).
/// </summary>
/// <remarks>Published on first use, so that a run of only the Fleet collection's other classes never pays for it.</remarks>
public sealed class HostsSample : IDisposable
{
    private readonly Lazy<(SampleRepository Repo, HostsRelease V1, HostsRelease V2, HostsRelease V3)> _published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The value of SHOP_API_KEY, the secret every environment of the sample passes to its releases.</summary>
    public string Secret { get; } = $"hosts-secret-{Guid.NewGuid():N}";

    internal SampleRepository Repo => _published.Value.Repo;

    internal HostsRelease V1 => _published.Value.V1;

    internal HostsRelease V2 => _published.Value.V2;

    /// <summary>v2 with a /version that answers every second request with 500: a canary the analysis must abort.</summary>
    internal HostsRelease V3 => _published.Value.V3;

    private static (SampleRepository, HostsRelease, HostsRelease, HostsRelease) Publish()
    {
        var repo = new SampleRepository("service");
        try
        {
            var v1 = CommitStage(repo, "v1");
            repo.Commit("A second release");
            var v2 = CommitStage(repo, "v2");
            BrokenVersionEndpoint.WriteInto(repo);
            repo.Commit("v3 fails every second /version");
            return (repo, v1, v2, CommitStage(repo, "v3"));
        }
        catch
        {
            repo.Dispose();
            throw;
        }
    }

    private static HostsRelease CommitStage(SampleRepository repo, string name)
    {
        var result = repo.Build("--target=CommitStage");
        result.ExitCode.ShouldBe(0, $"CommitStage {name}: {result.All}");
        var kept = Path.Combine(repo.Root, $"manifest-{name}.json");
        File.Copy(Path.Combine(repo.Repository, "artifacts", "manifest.json"), kept, overwrite: true);
        var entry = ArtifactManifest.Read(kept).Artifacts.Single(a => a.Id == "Acme.Shop.Api");
        return new HostsRelease(entry.Version, entry.Sha512, kept);
    }

    public void Dispose()
    {
        if (_published.IsValueCreated)
        {
            _published.Value.Repo.Dispose();
        }
    }
}

/// <summary>A release of the <see cref="HostsSample"/>: its version, the package's SHA-512 and the manifest kept for it.</summary>
internal sealed record HostsRelease(string Version, string Digest, string Manifest);
