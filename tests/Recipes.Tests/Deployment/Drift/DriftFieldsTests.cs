using Recipes.Deployment;
using Recipes.Deployment.Drift;

namespace Recipes.Tests.Deployment.Drift;

public sealed class DriftFieldsTests
{
    private static string Single(string environmentBody) =>
        "environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n" + environmentBody;

    [Fact]
    public void An_environment_without_drift_ignores_logs_and_one_with_a_list_ignores_what_it_lists()
    {
        EnvironmentsFile.Parse("environments.yml", Single(string.Empty)).Get("dev").DriftIgnore.ShouldBe(IgnorePatterns.Default);

        var listed = EnvironmentsFile.Parse("environments.yml", Single("    drift: { ignore: [\"*.tmp\", \"cache/**\"] }\n")).Get("dev").DriftIgnore;
        listed.Patterns.ShouldBe(["*.tmp", "cache/**"]);
        listed.Ignores("app.log").ShouldBeFalse("a list of its own replaces the defaults");
        EnvironmentsFile.Parse("environments.yml", Single("    drift: { ignore: [] }\n")).Get("dev").DriftIgnore.Patterns.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("    drift: { ignore: \"*.log\" }\n", "environments.yml:5: 'drift.ignore' must be a list of globs")]
    [InlineData("    drift: { ignore: [\"/var/log/**\"] }\n", "environments.yml:5: 'drift.ignore' has '/var/log/**', which starts with '/'")]
    [InlineData("    drift: { ignore: [ [a] ] }\n", "'drift.ignore' has '', which must be a glob, not a list")]
    [InlineData("    drift: { ignored: [] }\n", "unknown key 'drift.ignored'. Did you mean 'drift.ignore'?")]
    [InlineData("    drift: [\"*.log\"]\n", "'drift' must be a mapping with the keys ignore")]
    public void A_wrong_drift_field_is_refused_with_file_line_and_field(string body, string expected)
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse("environments.yml", Single(body)));

        error.Message.ShouldContain(expected);
        error.Line.ShouldBe(5);
        error.Field.ShouldNotBeNull().ShouldStartWith("drift");
    }
}
