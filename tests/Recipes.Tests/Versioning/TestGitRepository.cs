using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>
/// A real git repository in a temporary folder, deleted on dispose. Git and GitVersion run here isolated from the
/// machine: no global git configuration, and none of the CI variables that make GitVersion take the branch name
/// from the build server instead of from the repository.
/// </summary>
internal sealed class TestGitRepository : IDisposable
{
    private static readonly string TemporaryRoot = Path.Combine(Path.GetTempPath(), "recipes-versioning-tests");

    private TestGitRepository(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The variables by which GitVersion and Cake tell a CI server and the branch it builds (before <see cref="Environment"/>, which reads them).</summary>
    public static IReadOnlyList<string> BuildServerVariables => Support.BuildServerVariables.Names;

    /// <summary>The environment git and GitVersion get in these tests.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = IsolatedEnvironment();

    /// <summary>An empty folder that is not inside any git repository (git stops looking above the temporary root).</summary>
    public static TestGitRepository CreateFolder()
    {
        var directory = Path.Combine(TemporaryRoot, Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        return new TestGitRepository(directory);
    }

    /// <summary>A repository with no commits, user name and e-mail set locally, on branch main.</summary>
    public static TestGitRepository Create()
    {
        var repository = CreateFolder();
        repository.Git("init", "--quiet", "--initial-branch=main");
        repository.Git("config", "user.name", "Recipes Tests");
        repository.Git("config", "user.email", "tests@recipes.invalid");
        repository.Git("config", "commit.gpgsign", "false");
        repository.Git("config", "tag.gpgsign", "false");
        return repository;
    }

    /// <summary>A shallow (depth 1) clone of <paramref name="source"/> in a new folder.</summary>
    public static TestGitRepository ShallowCloneOf(TestGitRepository source) => CloneOf(source, "--depth", "1");

    /// <summary>A clone of <paramref name="source"/> in a new folder, whose remote origin is the source.</summary>
    public static TestGitRepository CloneOf(TestGitRepository source, params string[] options)
    {
        var clone = CreateFolder();
        clone.Git(["clone", "--quiet", .. options, new Uri(source.Directory).AbsoluteUri, clone.Directory]);
        return clone;
    }

    public GitVersionCalculator Calculator(List<string>? log = null) =>
        new(line => log?.Add(line), Environment);

    /// <summary>Changes a file and commits it; a fixed date keeps the commit's date checkable.</summary>
    /// <returns>The full SHA of the new commit.</returns>
    public string Commit(string message, DateTimeOffset? date = null)
    {
        File.AppendAllText(Path.Combine(Directory, "history.txt"), message + "\n");
        Git("add", "--all");
        var when = (date ?? DateTimeOffset.Now).ToString("yyyy-MM-ddTHH:mm:sszzz");
        Git(new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = when, ["GIT_COMMITTER_DATE"] = when }, "commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    public string Git(params string[] arguments) => Git(new Dictionary<string, string?>(), arguments);

    private string Git(Dictionary<string, string?> extraEnvironment, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        var result = ToolProcess.Run("git", arguments, Directory, TimeSpan.FromSeconds(30), environment);
        result.ExitCode.ShouldBe(0, $"git {string.Join(' ', arguments)} failed: {result.Error}");
        return result.Output.Trim();
    }

    public void Dispose()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        // Git makes its object files read-only, which stops Windows from deleting them.
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static Dictionary<string, string?> IsolatedEnvironment()
    {
        var environment = BuildServerVariables.ToDictionary(name => name, _ => (string?)null);

        // A git hook or a developer's shell may point git elsewhere; the tests' repositories are the only ones that count.
        foreach (var name in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR" })
        {
            environment[name] = null;
        }

        environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CEILING_DIRECTORIES"] = TemporaryRoot;
        return environment;
    }
}
