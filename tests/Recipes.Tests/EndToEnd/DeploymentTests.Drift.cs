using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

public sealed partial class DeploymentTests
{
    [Fact]
    public void Drift_finds_a_file_edited_by_hand_in_the_live_release_a_deploy_says_so_and_the_new_release_ends_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The operator's chmod is Unix's.
        }

        service.Deployed("drifted", service.V1);
        var clean = Drift();
        clean.ExitCode.ShouldBe(0, clean.All);
        clean.Output.ShouldMatch(@"drifted slot blue \(.+\): no drift \(\d+ files as deployed\)");

        // What an operator does to a read-only release folder: chmod it, edit a file, leave a new one.
        var folder = new ProcessSupervisor(Path.Combine(service.StateDirectory, "slots")).Status("drifted").Single(s => s.State == SlotState.Running).Process.Release.Folder;
        var settings = Path.Combine(folder, "appsettings.json");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.AppendAllText(settings, "\n");
        File.WriteAllText(Path.Combine(folder, "hotfix.txt"), "patched on the server");
        File.WriteAllText(Path.Combine(folder, "server.log"), "ignored: logs are");

        var drifted = Drift();
        drifted.ExitCode.ShouldBe(1, drifted.All);
        drifted.Output.ShouldMatch(@"drifted slot blue \(.+\): 2 file\(s\) differ from what was deployed");
        drifted.Output.ShouldMatch(@"changed  appsettings\.json \(size \d+ -> \d+, mode 0400 -> 0600\)");
        drifted.Output.ShouldContain("added    hotfix.txt");
        drifted.Output.ShouldNotContain("server.log");
        OneLineError.LineOf(drifted.Error).ShouldContain("Drift: drifted (2 file(s), first slot blue: changed  appsettings.json");

        var deploy = service.Deploy("drifted", service.V2);
        deploy.ExitCode.ShouldBe(0, deploy.All);
        deploy.Output.ShouldContain("warning: drifted had drifted: 2 file(s) of its live release differ from what was deployed, first slot blue: changed  appsettings.json");
        service.Ledger.Live("drifted")!.Details.ShouldNotBeNull().ShouldContain("had drifted");

        var after = Drift();
        after.ExitCode.ShouldBe(0, after.All);
        after.Output.ShouldMatch(@"drifted slot green \(.+\): no drift");

        var unknown = service.Repository.Build("--target=Drift", "--environment=drifting");
        OneLineError.Of(unknown.ExitCode, unknown.Error, 2, unknown.Output).Line.ShouldContain("There is no environment 'drifting'");
    }

    private ProcessResult Drift() => service.Repository.Build("--target=Drift", "--environment=drifted");
}
