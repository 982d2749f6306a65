using System.IO.Compression;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A library whose two target frameworks write one DocumentationFile (the last built wins): a re-run of the commit
/// stage in the same working tree, on the same commit, packs the bytes the first run published.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RerunPackTests
{
    [Fact]
    public void A_rerun_in_a_used_working_tree_packs_what_the_first_run_published()
    {
        using var repo = new SampleRepository();
        // net10.0-browser needs no targeting pack beyond net10.0's, so this builds offline.
        repo.Write("src/Acme.Greeter/Acme.Greeter.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <Description>Greets people politely.</Description>
                <TargetFramework></TargetFramework>
                <TargetFrameworks>net10.0;net10.0-browser</TargetFrameworks>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <DocumentationFile>bin/$(Configuration)/Acme.Greeter.xml</DocumentationFile>
                <!-- One framework after the other, so that a clean build has one last writer: run in parallel, even two
                     clean builds race for the shared file (Publish then names it as the file that differs). -->
                <BuildInParallel>false</BuildInParallel>
              </PropertyGroup>
            </Project>
            """);
        repo.Write("src/Acme.Greeter/Greeter.cs", """
            namespace Acme.Greeter;

            /// <summary>Greets people.</summary>
            public static class Greeter
            {
                /// <summary>A greeting for <paramref name="name"/>.</summary>
                public static string Greet(string name) => $"Hello, {name}!";
            #if BROWSER

                /// <summary>A greeting for the browser's user.</summary>
                public static string GreetVisitor() => "Hello, visitor!";
            #endif
            }
            """);
        repo.Commit("Two target frameworks that share one documentation file");

        var first = repo.Build("--target=CommitStage");

        first.ExitCode.ShouldBe(0, first.All);
        var published = repo.FeedContents();
        var package = Path.Combine(repo.Feed, published.Keys.ShouldHaveSingleItem());
        var documentation = Documentation(package, "net10.0");

        var rerun = repo.Build("--target=CommitStage");

        rerun.ExitCode.ShouldBe(0, rerun.All);
        rerun.Output.ShouldContain("folder(s) of an earlier Release build, so the build starts clean");
        rerun.Output.ShouldContain("already in the feed with the same content");
        repo.FeedContents().ShouldBe(published);
        var repacked = Directory.EnumerateFiles(Path.Combine(repo.Repository, "artifacts", "packages"), "*.nupkg").ShouldHaveSingleItem();
        Documentation(repacked, "net10.0").ShouldBe(documentation);
    }

    private static string Documentation(string nupkg, string framework)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        using var reader = new StreamReader(archive.GetEntry($"lib/{framework}/Acme.Greeter.xml")!.Open());
        return reader.ReadToEnd();
    }
}
