using System.Text.Json;
using Recipes.Deployment.Drift;
using Recipes.Ci.BuildServers;
using Recipes.Insight;
using Recipes.Deployment.Local;
using Recipes.Pipeline;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// Drift through the host, on a release folder and slot record the test writes (no process runs: a slot whose
/// release died is checked too): exit 0 without drift, 1 with it, 2 when a release cannot be checked or the input is wrong.
/// </summary>
public sealed class DriftTargetTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: boxed
            target: docker
            repository: 127.0.0.1:5000/acme
            artifact: Acme.Shop.Api
            port: 5081
        """;

    private const string Release = "Acme.Shop.Api-1.0.0-0123456789ab-20261201T000000000Z";

    private readonly TempDirectory _repository = new("recipes-drift-target");

    public DriftTargetTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    private string State => _repository.Combine("state");

    private string Folder => Path.Combine(State, "releases", "dev", Release);

    public void Dispose()
    {
        ReleaseFolders.Delete(Folder);
        _repository.Dispose();
    }

    [Fact]
    public void A_slot_as_deployed_exits_0_an_edited_file_exits_1_naming_slot_and_file_and_a_release_without_manifest_exits_2()
    {
        DeployedInSlotBlue();

        var clean = Run("--target=Drift", "--environment=dev");
        clean.Exit.ShouldBe(0, clean.Error + clean.Output);
        clean.Output.ShouldContain($"dev slot blue (1.0.0, {Release}): no drift (2 files as deployed)");

        var settings = Path.Combine(Folder, "appsettings.json");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(settings, "{ \"patched\": true }");
        var drifted = Run("--target=Drift", "--environment=dev");
        drifted.Exit.ShouldBe(1, drifted.Error + drifted.Output);
        drifted.Output.ShouldContain($"dev slot blue (1.0.0, {Release}): 1 file(s) differ from what was deployed");
        OneLineError.LineOf(drifted.Error).ShouldContain("Drift: dev (1 file(s), first slot blue: changed  appsettings.json (size 2 -> 19");

        File.Delete(new ReleaseManifests(State).PathOf("dev", Release));
        var notChecked = Run("--target=Drift", "--environment=dev");
        notChecked.Exit.ShouldBe(2, notChecked.Error + notChecked.Output);
        OneLineError.LineOf(notChecked.Error).ShouldContain("1 live release(s) could not be checked, first dev slot blue: no manifest was recorded for it");
    }

    [Fact]
    public void Every_environment_is_checked_by_default_and_a_docker_one_is_said_not_to_be()
    {
        DeployedInSlotBlue();

        var all = Run("--target=Drift");

        all.Exit.ShouldBe(0, all.Error + all.Output);
        all.Output.ShouldContain("dev slot blue");
        all.Output.ShouldContain("boxed: not checked: the docker target does not list its releases' files");
    }

    [Fact]
    public void A_drift_run_reads_only_and_keeps_the_pipeline_runs_record()
    {
        DeployedInSlotBlue();
        var record = Path.Combine(Directory.CreateDirectory(_repository.Combine("artifacts")).FullName, RunRecord.FileName);
        RunRecord.Save(record, new RunReport(true, [new RunReportTask("Compile", "Executed", TimeSpan.FromSeconds(30), null)], []), DateTimeOffset.UnixEpoch);
        var before = File.ReadAllText(record);

        Run("--target=Drift", "--environment=dev").Exit.ShouldBe(0);

        File.ReadAllText(record).ShouldBe(before);
    }

    [Theory]
    [InlineData("--environment=boxed", "Drift cannot check 'boxed': the docker target does not list its releases' files")]
    [InlineData("--environment=prod", "There is no environment 'prod'")]
    public void Bad_input_exits_2_with_one_line(string argument, string expected)
    {
        var refused = Run("--target=Drift", argument);

        OneLineError.Of(refused.Exit, refused.Error, 2, refused.Output).Line.ShouldContain(expected);
    }

    /// <summary>A release folder as the local target leaves it, its manifest, and the record of a slot whose process has ended.</summary>
    private void DeployedInSlotBlue()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "Acme.Shop.Api.dll"), "not really a dll");
        File.WriteAllText(Path.Combine(Folder, "appsettings.json"), "{}");
        ReleaseFolders.MakeReadOnly(Folder);
        new ReleaseManifests(State).Save("dev", new ReleaseManifest(Release, "Acme.Shop.Api", "1.0.0", "0123456789ab", DateTimeOffset.UtcNow, ReleaseFileEntry.OfFolder(Folder)));
        var release = new Release("Acme.Shop.Api", "1.0.0", "0123456789ab", Folder, Path.Combine(Folder, "Acme.Shop.Api.dll"));
        var slot = new ReleaseProcess("dev", "blue", int.MaxValue, 5999, release, DateTimeOffset.UtcNow, Path.Combine(State, "slots", "dev", "blue.log"));
        Directory.CreateDirectory(Path.Combine(State, "slots", "dev"));
        File.WriteAllText(Path.Combine(State, "slots", "dev", "blue.json"), JsonSerializer.Serialize(slot, JsonSerializerOptions.Web));
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run([$"--environments-file={_repository.Combine("environments.yml")}", $"--state-directory={State}", $"--artifacts={_repository.Combine("artifacts")}", .. arguments]);
        return (exit, harness.Output, harness.Error);
    }
}
