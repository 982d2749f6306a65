namespace Recipes.Tests.Hosting;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("Pak", "'Pack'")]
    [InlineData("tst", "'Test'")]
    [InlineData("Restor", "'Restore'")]
    public void An_unknown_target_exits_2_and_suggests_the_closest_names(string typed, string suggestion)
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>();

        OneLineError.From(harness, $"--target={typed}").Naming($"Unknown target '{typed}'", $"Did you mean {suggestion}");

        harness.Journal.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_target_far_from_every_name_gets_no_wrong_guess()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Pack>();

        OneLineError.From(harness, "--target=Deploy").Naming("Unknown target 'Deploy'", "--help").Line.ShouldNotContain("Did you mean");
    }

    [Fact]
    public void No_target_and_no_Default_task_is_an_unknown_target()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Restore>();

        OneLineError.From(harness).Naming("Unknown target 'Default'");
    }

    [Theory]
    [InlineData("--verbosity=loud", "'loud' is not a verbosity")]
    [InlineData("-x", "Unknown option '-x'")]
    [InlineData("--target", "needs a value")]
    [InlineData("--=3", "has no name")]
    public void A_malformed_command_line_exits_2_with_a_message_naming_the_argument(string argument, string message)
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Restore>();

        OneLineError.From(harness, argument).Naming(message);

        harness.Journal.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_working_directory_exits_2_and_names_it()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Restore>();
        var missing = Path.Combine(Path.GetTempPath(), "recipes-missing-" + Guid.NewGuid().ToString("N"));

        OneLineError.From(harness, "--target=Restore", $"--working={missing}").Naming(missing);
        harness.Journal.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Help_lists_targets_with_descriptions_options_and_settings()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Default>().UseSetting("Settings_ShowProcessCommandLine", "true");

        harness.Run("--help").ShouldBe(0, harness.Error);

        var output = harness.Output;
        harness.Journal.Entries.ShouldBeEmpty();
        output.ShouldMatch(@"Default\s+\(default\) Everything");
        output.ShouldMatch(@"Test\s+Run the unit tests");
        foreach (var option in new[] { "--target", "--verbosity", "--dryrun", "--noop", "--whatif", "--tree", "--description", "--exclusive", "--working", "--help", "--version", "--info" })
        {
            output.ShouldContain(option);
        }

        output.ShouldContain("Settings_ShowProcessCommandLine = true");
    }

    [Fact]
    public void Verbosity_quiet_hides_the_summary_but_not_errors()
    {
        var harness = new HostHarness();
        harness.Host.AddTask<Restore>();

        harness.Run("--target=Restore", "--verbosity=quiet").ShouldBe(0, harness.Error);

        harness.Journal.Entries.ShouldBe(["Restore"]);
    }
}
