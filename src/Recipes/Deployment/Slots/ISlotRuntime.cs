using Recipes.Deployment.Local;

namespace Recipes.Deployment.Slots;

/// <summary>
/// Runs prepared releases in an environment's two slots (blue and green), each on a loopback port behind the
/// environment's router: local processes or containers. The strategies (in-place, blue-green, canary, dark launch)
/// are written against this, so every target that runs releases in slots shares them, and the router.
/// </summary>
internal interface ISlotRuntime
{
    /// <summary>
    /// Starts <paramref name="release"/> in <paramref name="slot"/> of <paramref name="environment"/> on a free loopback
    /// port and waits until it passes <paramref name="health"/>; from then on a release that dies is replaced from the
    /// same artifact. <paramref name="started"/> is told of each start before its health is known.
    /// </summary>
    /// <exception cref="ReleaseUnhealthyException">The release exited or did not become healthy in time.</exception>
    /// <exception cref="RecipeException">The slot already runs a release, or a secret's variable is not set.</exception>
    Task<ISlotInstance> StartHealthyAsync(
        string environment, string slot, IPreparedRelease release, ReleaseStartOptions options, HealthCheck health, Action<ISlotInstance> started, CancellationToken cancellationToken);

    /// <summary>Stops what runs in the slot: asks it to end, kills it after <paramref name="grace"/>, records it as stopped.</summary>
    Task StopAsync(string environment, string slot, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Every slot of <paramref name="environment"/> that ever ran a release, with its state now.</summary>
    IReadOnlyList<SlotReport> Status(string environment);

    /// <summary>Whether <paramref name="instance"/> (not another release since started in its slot) still runs.</summary>
    bool IsRunning(ISlotInstance instance);

    /// <summary>The artifacts (release folders, image digests) that running releases of any environment use, which pruning must keep.</summary>
    IReadOnlyList<string> InUse();

    /// <summary>A caveat about how <paramref name="release"/> runs, worth a notice in the log (such as running as root); null when none.</summary>
    string? Caveat(IPreparedRelease release);
}

/// <summary>A release ready to start in a slot: an unpacked, checked package folder, or an image pulled by digest.</summary>
internal interface IPreparedRelease
{
    /// <summary>The artifact's id, such as <c>Acme.Shop.Api</c>.</summary>
    string Id { get; }

    /// <summary>The version.</summary>
    string Version { get; }

    /// <summary>The digest it was checked against, lowercase hex.</summary>
    string Digest { get; }

    /// <summary>The first 12 hex digits of <see cref="Digest"/>, for messages.</summary>
    string ShortDigest { get; }

    /// <summary>Where it is: the release folder, or the image reference by digest; what pruning compares with <see cref="ISlotRuntime.InUse"/>.</summary>
    string Location { get; }
}

/// <summary>A release started in a slot.</summary>
internal interface ISlotInstance
{
    /// <summary>The environment.</summary>
    string Environment { get; }

    /// <summary>blue or green.</summary>
    string Slot { get; }

    /// <summary>What it runs as, for messages: <c>pid 1234</c>, <c>container 3f2a…</c>.</summary>
    string InstanceId { get; }

    /// <summary>The loopback port it listens on.</summary>
    int Port { get; }

    /// <summary>Its root address, such as <c>http://127.0.0.1:5123/</c>.</summary>
    Uri Address { get; }

    /// <summary>The release it runs.</summary>
    IPreparedRelease Release { get; }

    /// <summary>Where its output is, for messages: a log file, or <c>docker logs &lt;id&gt;</c>.</summary>
    string Logs { get; }
}

/// <summary>One slot and what became of its release.</summary>
/// <param name="Instance">The release as started.</param>
/// <param name="State">Whether it runs, was stopped, or died.</param>
/// <param name="Health">What Status shows of it: <c>running, 2 restarts, last exit code 137 at …</c>.</param>
/// <param name="Where">Where it runs now, for Status: <c>pid 1234, port 5123</c>.</param>
internal sealed record SlotReport(ISlotInstance Instance, SlotState State, string Health, string Where);
