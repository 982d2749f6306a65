using System.Text.RegularExpressions;
using Recipes.Discovery;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// Applies <see cref="RecipeSettings.SlowTestProjects"/> and <see cref="RecipeSettings.FastTestProjects"/> through
/// discovery's reclassify hook, after the team's own <see cref="RecipeSettings.Reclassify"/>: a test project whose
/// name matches a pattern runs in that stage whatever its name or properties say.
/// </summary>
internal static class TestStageOverrides
{
    /// <summary>The reclassify function for discovery: the code's, then the patterns; null when there is neither.</summary>
    public static Func<DiscoveredProject, DiscoveredProject>? Reclassify(RecipeSettings settings)
    {
        var fromCode = settings.Reclassify;
        if (settings.SlowTestProjects.Count == 0 && settings.FastTestProjects.Count == 0)
        {
            return fromCode;
        }

        var slow = settings.SlowTestProjects.Select(pattern => (Pattern: pattern, Regex: Glob(pattern))).ToList();
        var fast = settings.FastTestProjects.Select(pattern => (Pattern: pattern, Regex: Glob(pattern))).ToList();
        return project =>
        {
            var changed = fromCode is null ? project : fromCode(project);
            if (changed is not { Kind: ProjectKind.Test })
            {
                return changed!; // discovery reports a null from the code's callback itself
            }

            var slowMatch = slow.FirstOrDefault(p => p.Regex.IsMatch(changed.Name)).Pattern;
            var fastMatch = fast.FirstOrDefault(p => p.Regex.IsMatch(changed.Name)).Pattern;
            if (slowMatch is not null && fastMatch is not null)
            {
                throw new RecipeException(
                    $"Test project {changed.Name} matches both slow-tests ('{slowMatch}') and fast-tests ('{fastMatch}'); make the patterns pick one stage for it.");
            }

            return slowMatch is not null ? changed with { Stage = TestStage.Slow }
                : fastMatch is not null ? changed with { Stage = TestStage.Fast }
                : changed;
        };
    }

    /// <summary>A project-name pattern: <c>*</c> any run of characters, <c>?</c> one; case-insensitive, whole name.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
