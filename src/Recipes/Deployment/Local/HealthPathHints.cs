using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Recipes.Deployment.Local;

/// <summary>
/// Finds the health endpoints an app probably maps, from the string literals compiled into its assembly: a path given
/// to <c>MapHealthChecks("/healthz")</c> or <c>MapGet("/health", ...)</c> is one of its user strings.
/// </summary>
internal static class HealthPathHints
{
    /// <summary>Words that health, liveness and readiness paths contain.</summary>
    private static readonly string[] HealthWords = ["health", "alive", "live", "ready", "ping", "status"];

    /// <summary>Enough for a hint; an assembly that names more is not guessed at further.</summary>
    private const int MaxPaths = 5;

    /// <summary>Longer literals are messages or URLs, not route paths.</summary>
    private const int MaxPathLength = 64;

    /// <summary>
    /// The string literals in <paramref name="assemblyPath"/> that look like a health endpoint's path (start with
    /// <c>/</c>, no spaces, a health word in them), in the order they appear, at most five; none when the file is not
    /// a readable .NET assembly.
    /// </summary>
    public static IReadOnlyList<string> InAssembly(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return [];
            }

            var metadata = pe.GetMetadataReader();
            var heapSize = metadata.GetHeapSize(HeapIndex.UserString);
            var paths = new List<string>();

            // Offset 0 of the user string heap is the empty entry; the literals follow it, and the handle after the last is nil.
            for (var handle = MetadataTokens.UserStringHandle(1);
                 paths.Count < MaxPaths && !handle.IsNil && MetadataTokens.GetHeapOffset(handle) < heapSize;
                 handle = metadata.GetNextHandle(handle))
            {
                var text = metadata.GetUserString(handle);
                if (LooksLikeHealthPath(text) && !paths.Contains(text, StringComparer.Ordinal))
                {
                    paths.Add(text);
                }
            }

            return paths;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // Only a hint for an error message: an unreadable assembly gives none rather than another error.
            return [];
        }
    }

    private static bool LooksLikeHealthPath(string text) =>
        text.Length is > 1 and <= MaxPathLength
        && text[0] == '/'
        && !text.Any(char.IsWhiteSpace)
        && HealthWords.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase));
}
