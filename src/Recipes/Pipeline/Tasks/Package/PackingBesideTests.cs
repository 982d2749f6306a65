using System.Collections.Concurrent;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Discovery;
using Recipes.Pipeline.Caching;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Package's packing, started while the fast tests run (both only read Compile's output), into a staging folder that
/// the Package stage moves into artifacts/ after the tests passed, and that a failing test run deletes unread.
/// </summary>
/// <remarks>
/// Only when nothing of it writes where the test runs read or write: not with ready-to-run (that publish restores and
/// builds the apps again) nor with a registry (images are built into docker's store). Test runs with --no-build write
/// in their own project's output only; pack and publish with --no-build write in the packed project's obj/ only.
/// </remarks>
internal sealed class PackingBesideTests
{
    private readonly Task<List<ArtifactEntry>> _packing;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _staging;
    private readonly ICakeLog _log;

    private PackingBesideTests(RecipeContext context, StageInputs inputs)
    {
        Inputs = inputs;
        _log = context.Log;
        _staging = StagingFolder(context.Artifacts);
        Package.ResetFolder(_staging);
        Directory.CreateDirectory(Path.Combine(_staging, "packages"));
        _packing = Task.Run(() => Packing.PackInto(context, Path.Combine(_staging, "packages"), Path.Combine(_staging, "publish"), _output.Enqueue));
    }

    /// <summary>The Package stage's inputs when the packing started (a commit's inputs do not change during its run).</summary>
    public StageInputs Inputs { get; }

    /// <summary>
    /// Starts packing when the run's next stages pack (Package is in the run), the stage cache holds no package for
    /// these inputs, and packing here cannot race the test runs; else leaves it to the Package stage.
    /// </summary>
    public static void StartWhenSafe(RecipeContext context)
    {
        var settings = context.Settings;
        // A ReadyToRun or Native AOT publish builds again, which must not race the test runs that read the build's output.
        if (!context.RunPackages || settings.Registry is { Length: > 0 } || settings.ReadyToRun || context.ProjectsOf(ProjectKind.Deployable).Any(p => p.PublishesNativeAot)
            || !context.Projects.Any(p => p.Kind is ProjectKind.Library or ProjectKind.Deployable))
        {
            return;
        }

        var inputs = CachedStages.InputsOf(context, nameof(Package));
        if (CachedStages.Has(context, nameof(Package), inputs))
        {
            return;
        }

        context.Log.Information("Packing beside the fast tests; the packages are kept only if every test passes");
        context.PackingBesideTests = new PackingBesideTests(context, inputs);
    }

    /// <summary>The folder packing writes into, inside artifacts/ (so a move is a rename) and beside what Publish reads.</summary>
    internal static string StagingFolder(ArtifactLayout layout) => Path.Combine(layout.Root, ".packing");

    /// <summary>Waits for the packing, prints its tools' output, and moves packages and publish outputs into <paramref name="layout"/>; returns the manifest's entries.</summary>
    /// <exception cref="Exception">What packing failed with, as the Package stage would have failed.</exception>
    public List<ArtifactEntry> MoveInto(ArtifactLayout layout)
    {
        try
        {
            var entries = Wait();
            foreach (var (staged, final) in new[] { ("packages", layout.Packages), ("publish", layout.Publish) })
            {
                if (Directory.Exists(final))
                {
                    Directory.Delete(final, recursive: true);
                }

                var from = Path.Combine(_staging, staged);
                if (Directory.Exists(from))
                {
                    Directory.Move(from, final);
                }
                else
                {
                    Directory.CreateDirectory(final);
                }
            }

            return entries;
        }
        finally
        {
            DeleteStaging();
        }
    }

    /// <summary>Waits for the packing to end (its processes are not left writing) and deletes everything it wrote.</summary>
    public void Discard()
    {
        try
        {
            _packing.Wait();
        }
        catch (AggregateException)
        {
            // The tests failed first; that is the error the run reports.
        }

        DeleteStaging();
    }

    private List<ArtifactEntry> Wait()
    {
        try
        {
            return _packing.GetAwaiter().GetResult();
        }
        finally
        {
            while (_output.TryDequeue(out var line))
            {
                _log.Information("{0}", line);
            }
        }
    }

    private void DeleteStaging()
    {
        if (Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }
    }
}
