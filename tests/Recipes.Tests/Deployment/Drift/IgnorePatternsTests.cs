using Recipes.Deployment.Drift;

namespace Recipes.Tests.Deployment.Drift;

public sealed class IgnorePatternsTests
{
    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "a/b/app.log", true)]
    [InlineData("*.log", "app.log.1", false)]
    [InlineData("*.log", "logbook.dll", false)]
    [InlineData("logs/**", "logs/today.txt", true)]
    [InlineData("logs/**", "logs/2026/12/today.txt", true)]
    [InlineData("logs/**", "app/logs/today.txt", false)]
    [InlineData("logs/**", "logs.txt", false)]
    [InlineData("**/cache/*", "cache/x", true)]
    [InlineData("**/cache/*", "a/b/cache/x", true)]
    [InlineData("**/cache/*", "a/b/cache/x/y", false)]
    [InlineData("wwwroot/*.css", "wwwroot/site.css", true)]
    [InlineData("wwwroot/*.css", "wwwroot/css/site.css", false)]
    [InlineData("app?.json", "app1.json", true)]
    [InlineData("app?.json", "app12.json", false)]
    [InlineData("appsettings.Development.json", "appsettings.Development.json", true)]
    [InlineData("appsettings.Development.json", "appsettingsXDevelopment.json", false)]
    public void A_glob_matches_paths_relative_to_the_release_folder(string pattern, string path, bool ignored)
    {
        new IgnorePatterns([pattern]).Ignores(path).ShouldBe(ignored);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/logs/**", "starts with '/'")]
    [InlineData("logs\\*.txt", "has a '\\'")]
    [InlineData("../secrets", "'..'")]
    [InlineData("logs//x", "empty")]
    [InlineData("logs/**x", "'**' stands alone")]
    public void What_is_not_a_glob_of_files_in_the_release_folder_is_refused(string pattern, string problem)
    {
        IgnorePatterns.Problem(pattern).ShouldNotBeNull().ShouldContain(problem);
        Should.Throw<ArgumentException>(() => new IgnorePatterns([pattern]));
    }

    [Fact]
    public void The_defaults_leave_out_logs_only()
    {
        IgnorePatterns.Default.Patterns.ShouldBe(["*.log", "logs/**"]);
        IgnorePatterns.Default.Ignores("Acme.Shop.Api.dll").ShouldBeFalse();
        IgnorePatterns.Default.ShouldBe(new IgnorePatterns(["*.log", "logs/**"]), "equal patterns make equal environments");
    }
}
