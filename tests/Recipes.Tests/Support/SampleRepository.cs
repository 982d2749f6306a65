using System.Diagnostics;
using System.Text;

namespace Recipes.Tests.Support;

/// <summary>
/// A temporary git repository made from a sample under recipes/, whose build program restores the Recipes package of
/// this source tree (packed once per test run) and publishes to a folder feed of its own. Nothing outside the
/// temporary folder is touched.
/// </summary>
public sealed class SampleRepository : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public SampleRepository(string sample = "library")
    {
        Root = Directory.CreateTempSubdirectory($"recipes-{sample}-").FullName;
        Repository = Path.Combine(Root, "repo");
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Repository);
        RepositoryLayout.CopyDirectory(Path.Combine(RepositoryLayout.Root, "recipes", sample), Repository);

        // The team's feed holds the recipe; the sample's NuGet.config points at the default feed instead.
        File.WriteAllText(Path.Combine(Repository, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="team" value="{RecipesPackages.Feed}" />
              </packageSources>
            </configuration>
            """);
        Environment["RecipesVersion"] = RecipesPackages.Version;

        // A HOME of its own, so that the default state folder (~/.recipes/state/...) is never the developer's; the
        // packages Recipes depends on stay cached (the suite runs offline).
        Environment["HOME"] = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Environment["NUGET_PACKAGES"] = Testing.ToolPackagesFolder.Path;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "ci@example.com");
        Git("config", "user.name", "Recipes CI");
        Git("config", "commit.gpgsign", "false");
        Commit("Initial commit");
    }

    public string Root { get; }

    public string Repository { get; }

    public string Feed { get; }

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The home folder the builds run with.</summary>
    public string Home => Environment["HOME"];

    /// <summary>The deployment state folder the builds use unless told otherwise: the default under <see cref="Home"/>.</summary>
    public string StateDirectory => Recipes.Pipeline.Settings.StateLocation.Default(Home, Repository);

    /// <summary>
    /// The dotnet arguments that start the build program build.sh runs: the compiled .build/bin/Build.dll when build/
    /// was compiled, else the program the Recipes package carries (build/ is the template's); its last item is the dll.
    /// </summary>
    public string[] ProgramCommand()
    {
        var compiled = Path.Combine(Repository, ".build", "bin", "Build.dll");
        var packages = Testing.ToolPackagesFolder.Path;
        return File.Exists(compiled)
            ? [compiled]
            : ["exec", "--additionalprobingpath", packages, Path.Combine(packages, "recipes", RecipesPackages.Version.ToLowerInvariant(), "tools", "program", "Recipes.dll")];
    }

    /// <summary>Runs ./build.sh in the repository, with the temporary feed unless the arguments name another.</summary>
    public ProcessResult Build(params string[] args) =>
        ProcessRunner.Run("bash", BuildArguments(args), Repository, Limit, Environment);

    /// <summary>
    /// Starts ./build.sh like <see cref="Build"/> without waiting (a deploy to kill half-way, one of two at once);
    /// what it writes is appended to <paramref name="output"/>, which the caller locks to read.
    /// </summary>
    public Process Start(StringBuilder output, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = Repository, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in BuildArguments(args))
        {
            info.ArgumentList.Add(argument);
        }

        ProcessRunner.Isolate(info, Environment);
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private string[] BuildArguments(string[] args) =>
        [Path.Combine(Repository, "build.sh"), .. args, .. args.Any(a => a.StartsWith("--feed=", StringComparison.Ordinal)) ? Array.Empty<string>() : [$"--feed={Feed}"]];

    public string Git(params string[] args)
    {
        var result = ProcessRunner.Run("git", args, Repository, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.All}");
        }

        return result.Output.Trim();
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
    }

    /// <summary>
    /// Adds a fast test project beside the sample's own (a copy of tests/Acme.Greeter.Tests named <paramref name="name"/>,
    /// with one test whose body is <paramref name="assertion"/>) to the solution, and commits it.
    /// </summary>
    public void AddTestProject(string name, string assertion = "Assert.Equal(\"Hello, Ada!\", Greeter.Greet(\"Ada\"))")
    {
        var folder = Path.Combine(Repository, "tests", name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Repository, "tests", "Acme.Greeter.Tests", "Acme.Greeter.Tests.csproj"), Path.Combine(folder, name + ".csproj"));
        Write($"tests/{name}/Tests.cs", $"using Xunit;\n\nnamespace {name};\n\npublic sealed class Tests\n{{\n    [Fact]\n    public void Greets() => {assertion};\n}}\n");
        var added = ProcessRunner.Run("dotnet", ["sln", "add", $"tests/{name}/{name}.csproj"], Repository, TimeSpan.FromMinutes(2), Environment);
        if (added.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet sln add failed: {added.All}");
        }

        Commit($"Add {name}");
    }

    public void Write(string relativePath, string content) =>
        File.WriteAllText(Path.Combine(Repository, relativePath), content);

    /// <summary>File name and SHA-512 of every package in the feed, to compare feeds before and after a run.</summary>
    public Dictionary<string, string> FeedContents() =>
        Directory.Exists(Feed)
            ? Directory.EnumerateFiles(Feed, "*.nupkg", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(Feed, f), f => Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(f))))
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file must not fail the test run; the OS cleans temp folders.
        }
    }
}
