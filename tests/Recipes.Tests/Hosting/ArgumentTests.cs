using Cake.Common;
using Cake.Core;
using Recipes.Hosting;

namespace Recipes.Tests.Hosting;

public sealed class ArgumentTests
{
    public sealed class Echo(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context)
        {
            foreach (var name in new[] { "feed", "api-url", "version", "fast", "configuration", "environment", "to", "users" })
            {
                journal.Add($"{name}={context.Argument(name, "<none>")}");
            }
        }
    }

    private static Dictionary<string, string> Entries(HostHarness harness) =>
        harness.Journal.Entries.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Command_line_arguments_reach_the_context()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Echo>();

        harness.Run("--target=Echo", "--feed=/tmp/feed", "--fast", "--configuration=Debug").ShouldBe(0, harness.Error);

        var values = Entries(harness);
        values["feed"].ShouldBe("/tmp/feed");
        values["fast"].ShouldBe("true");
        values["configuration"].ShouldBe("Debug");
        values["api-url"].ShouldBe("<none>");
    }

    [Fact]
    public void An_argument_no_task_asked_for_is_named_in_a_warning_and_one_asked_for_is_not()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Echo>();

        harness.Run("--target=Echo", "--feed=/tmp/feed", "--p:WarningsNotAsErrors=NU1603", "--fedd=/tmp/typo").ShouldBe(0, harness.Error);

        var all = harness.Output + harness.Error;
        all.ShouldContain("Argument --fedd was not used by any task that ran");
        all.ShouldNotContain("Argument --feed ");
        all.ShouldNotContain("--target was not used");
        all.ShouldNotContain("/tmp/typo", Case.Sensitive, "the value may be a secret");
    }

    [Fact]
    public void No_environment_variable_becomes_an_argument()
    {
        // A machine's ENVIRONMENT, TO or USERS set for other reasons must not choose where a deployment goes.
        var harness = new HostHarness(new() { ["ENVIRONMENT"] = "prod", ["TO"] = "production", ["USERS"] = "alice", ["feed"] = "from-env", ["API_URL"] = "from-env" });
        harness.Host.AddTask<Echo>();

        harness.Run("--target=Echo", "--feed=from-command-line").ShouldBe(0, harness.Error);

        var values = Entries(harness);
        values["feed"].ShouldBe("from-command-line");
        values["api-url"].ShouldBe("<none>");
        values["environment"].ShouldBe("<none>");
        values["to"].ShouldBe("<none>");
        values["users"].ShouldBe("<none>");
    }

    public sealed class ListVariables(Journal journal) : FrostingTask
    {
        public override void Run(ICakeContext context) =>
            journal.Add($"proxy={context.EnvironmentVariables().Single(v => v.Key.Equals("http_proxy", StringComparison.OrdinalIgnoreCase)).Value}");
    }

    [Fact]
    public void Variables_whose_names_differ_only_by_case_do_not_fail_the_run()
    {
        // Linux keeps http_proxy and HTTP_PROXY apart, and machines often set both; Cake's dictionary ignores case.
        var harness = new HostHarness(new() { ["http_proxy"] = "http://lower", ["HTTP_PROXY"] = "http://upper" });
        harness.Host.AddTask<ListVariables>();

        harness.Run("--target=ListVariables").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldHaveSingleItem().ShouldBeOneOf("proxy=http://lower", "proxy=http://upper");
    }

    [Fact]
    public void Version_with_a_value_is_an_argument_while_a_bare_version_prints_the_versions()
    {
        var asArgument = new HostHarness();
        asArgument.Host.AddTask<Echo>();
        asArgument.Run("--target=Echo", "--version=1.2.3").ShouldBe(0, asArgument.Error);
        Entries(asArgument)["version"].ShouldBe("1.2.3");

        var asFlag = new HostHarness();
        asFlag.Host.AddTask<Echo>();
        asFlag.Run("--version").ShouldBe(0, asFlag.Error);
        asFlag.Journal.Entries.ShouldBeEmpty();
        asFlag.Output.ShouldMatch(@"Recipes \S+");
        asFlag.Output.ShouldMatch(@"Cake 7\.0\.0");
    }
}
