using System.Xml.Linq;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// Two test projects (this machine may have one .NET runtime only, so not one project with two target frameworks),
/// each with a skipped test: the counts per project and framework, and the stage's total, are the runner's own.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SkippedTestCountTests
{
    [Fact]
    public void Skipped_tests_are_counted_per_project_and_framework_as_the_runner_counts_them()
    {
        using var repo = new SampleRepository();
        const string SkippedTest = """
                [Fact(Skip = "not yet")]
                public void Says_goodbye() => Assert.Fail("skipped");
            """;
        var tests = Path.Combine("tests", "Acme.Greeter.Tests");
        var original = File.ReadAllText(Path.Combine(repo.Repository, tests, "GreeterTests.cs"));
        repo.Write(Path.Combine(tests, "GreeterTests.cs"), original.TrimEnd().TrimEnd('}') + SkippedTest + "\n}\n");
        var moreTests = Path.Combine("tests", "Acme.Greeter.MoreTests");
        Directory.CreateDirectory(Path.Combine(repo.Repository, moreTests));
        File.Copy(Path.Combine(repo.Repository, tests, "Acme.Greeter.Tests.csproj"), Path.Combine(repo.Repository, moreTests, "Acme.Greeter.MoreTests.csproj"));
        repo.Write(Path.Combine(moreTests, "MoreTests.cs"), $$"""
            using Xunit;

            namespace Acme.Greeter.MoreTests;

            public sealed class MoreTests
            {
                [Fact]
                public void Greets_twice() => Assert.Equal("Hello, Bo!", Greeter.Greet("Bo"));

                [Fact]
                public void Greets_again() => Assert.Equal("Hello, Cy!", Greeter.Greet("Cy"));
            {{SkippedTest}}
            }
            """);
        var added = ProcessRunner.Run("dotnet", ["sln", "Library.sln", "add", Path.Combine(moreTests, "Acme.Greeter.MoreTests.csproj")], repo.Repository, TimeSpan.FromMinutes(2));
        added.ExitCode.ShouldBe(0, added.All);
        repo.Commit("A skipped test in each of two test projects");

        var result = repo.Build("--target=FastTests");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("Acme.Greeter.Tests: 1 passed, 0 failed, 1 skipped (net10.0: 1 passed, 0 failed, 1 skipped)");
        result.Output.ShouldContain("Acme.Greeter.MoreTests: 2 passed, 0 failed, 1 skipped (net10.0: 2 passed, 0 failed, 1 skipped)");
        result.Output.ShouldContain("Fast tests: 3 passed, 0 failed, 2 skipped");
        // The run summary carries the same per-project figures.
        result.Output.ShouldContain("3 passed, 0 failed, 2 skipped (Acme.Greeter.MoreTests net10.0: 2 passed, 0 failed, 1 skipped; Acme.Greeter.Tests net10.0: 1 passed, 0 failed, 1 skipped)");
        // And the runner's own JUnit files agree.
        var junit = Directory.EnumerateFiles(Path.Combine(repo.Repository, "artifacts", "test-results"), "*.junit.xml", SearchOption.AllDirectories).ToList();
        junit.Count.ShouldBe(2);
        junit.Sum(f => XDocument.Load(f).Descendants("testsuite").Sum(s => (int?)s.Attribute("skipped") ?? 0)).ShouldBe(2);
    }
}
