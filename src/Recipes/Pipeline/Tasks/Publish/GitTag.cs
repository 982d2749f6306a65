using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;

namespace Recipes.Pipeline.Tasks;

/// <summary>Tags a commit in the local repository; pushing the tag is left to the CI job, which holds the credentials.</summary>
internal static class GitTag
{
    public static void Create(ICakeContext context, string tag, string commit)
    {
        var existing = Git(context, $"rev-parse -q --verify refs/tags/{tag}", allowFailure: true);
        if (existing.ExitCode == 0)
        {
            context.Log.Information("Tag {0} already exists; left as it is", tag);
            return;
        }

        Git(context, $"tag {tag} {commit}", allowFailure: false);
        context.Log.Information("Tagged {0} as {1}", commit[..Math.Min(8, commit.Length)], tag);
    }

    /// <summary>Runs git with <paramref name="arguments"/>; throws with its error unless <paramref name="allowFailure"/>.</summary>
    internal static (int ExitCode, string Output) Git(ICakeContext context, string arguments, bool allowFailure)
    {
        var settings = new ProcessSettings { Arguments = arguments, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = context.ProcessRunner.Start("git", settings);
        process.WaitForExit();
        var exitCode = process.GetExitCode();
        var output = string.Join('\n', process.GetStandardOutput());
        if (exitCode != 0 && !allowFailure)
        {
            throw new RecipeException($"git {arguments} failed ({exitCode}): {string.Join(' ', process.GetStandardError())}");
        }

        return (exitCode, output);
    }
}
