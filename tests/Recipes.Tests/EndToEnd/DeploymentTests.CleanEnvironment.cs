using Recipes.Deployment.Local;
using Recipes.Tests.Deployment.Local;

namespace Recipes.Tests.EndToEnd;

public sealed partial class DeploymentTests
{
    [Fact]
    public void A_release_and_the_router_started_by_a_deploy_do_not_get_the_builds_credentials()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/<pid>/environ is Linux's.
        }

        // Set on the build's process only, as a CI job or a shell would.
        var cloudKey = "awsfake-" + Guid.NewGuid().ToString("N");
        var leaked = "BUILD_TEST_LEAK_" + Guid.NewGuid().ToString("N");
        service.Repository.Environment["AWS_SECRET_ACCESS_KEY"] = cloudKey;
        service.Repository.Environment[leaked] = "leaked-value";
        try
        {
            service.Deployed("clean", service.V1);
        }
        finally
        {
            service.Repository.Environment.Remove("AWS_SECRET_ACCESS_KEY");
            service.Repository.Environment.Remove(leaked);
        }

        var slot = new ProcessSupervisor(Path.Combine(service.StateDirectory, "slots")).Status("clean").Single(s => s.State == SlotState.Running).Process;
        var router = new EnvironmentRouter(service.StateDirectory, "clean", service.Ports["clean"], _ => { }).RunningPid()!.Value;
        foreach (var pid in new[] { slot.Pid, Supervision.ProgramPid(slot.LogFile)!.Value, router })
        {
            var environment = ProcessFiles.Environment(pid);
            environment.Values.ShouldNotContain(cloudKey, $"pid {pid}");
            environment.Keys.ShouldNotContain("AWS_SECRET_ACCESS_KEY", $"pid {pid}");
            environment.Keys.ShouldNotContain(leaked, $"pid {pid}");
            environment.ShouldContainKey("PATH");
        }

        ProcessFiles.Environment(Supervision.ProgramPid(slot.LogFile)!.Value)["ASPNETCORE_ENVIRONMENT"].ShouldBe("Production");
    }
}
