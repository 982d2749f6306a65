using Recipes.Deployment;
using Recipes.Deployment.Local;

namespace Recipes.Tests.EndToEnd;

public sealed partial class DeploymentTests
{
    [Fact]
    public async Task Git_clean_between_two_deploys_leaves_the_environment_serving_from_state_and_a_router_outside_the_repository()
    {
        var port = service.Ports["scrubbed"];
        service.Deployed("scrubbed", service.V1);
        var router = new EnvironmentRouter(service.StateDirectory, "scrubbed", port, _ => { });
        var pid = router.RunningPid().ShouldNotBeNull("the deploy started the router");
        service.StateDirectory.ShouldNotStartWith(service.Repository.Repository, customMessage: "state lives outside the working tree");
        // The router is copied from the build program's router/ (.build/bin/router when build/ was compiled, the Recipes
        // package's tools/router when build.sh ran the package's program) and runs from that copy only.
        var builtRouter = Path.Combine(service.Repository.Repository, ".build", "bin", "router");
        if (OperatingSystem.IsLinux())
        {
            var image = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Single(a => a.EndsWith(EnvironmentRouter.AssemblyFileName, StringComparison.Ordinal));
            image.ShouldStartWith(Path.Combine(service.StateDirectory, RouterCopies.FolderName) + Path.DirectorySeparatorChar);
        }

        // What a developer does to get a pristine tree: it removes the build program's output and everything untracked.
        var environments = File.ReadAllText(Path.Combine(service.Repository.Repository, "environments.yml"));
        service.Repository.Git("clean", "-fdxq");
        Directory.Exists(builtRouter).ShouldBeFalse();
        (await VersionAsync(port)).ShouldBe(service.V1.Version, "the release and its router run from the state folder");
        router.RunningPid().ShouldBe(pid, "the router was not touched");

        // The environments file is normally committed; this fixture writes it after its commits.
        File.WriteAllText(Path.Combine(service.Repository.Repository, "environments.yml"), environments);
        service.Deployed("scrubbed", service.V2);

        (await VersionAsync(port)).ShouldBe(service.V2.Version);
        service.Ledger.History("scrubbed").Select(r => (r.Kind, r.Version, r.Outcome)).ShouldBe([
            (DeploymentKind.Deploy, service.V2.Version, DeploymentOutcome.Succeeded),
            (DeploymentKind.Deploy, service.V1.Version, DeploymentOutcome.Succeeded)]);
        var history = service.Repository.Build("--target=History", "--environment=scrubbed");
        history.All.ShouldContain(service.V1.Version);
        history.All.ShouldContain(service.V2.Version);
    }
}
