namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The declared target arguments through the real ./build.sh of the service sample: what --help lists, and that a
/// machine's ENVIRONMENT variable does not become --environment.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TargetArgumentBuildTests : IDisposable
{
    private readonly SampleRepository _service = new("service");

    public void Dispose() => _service.Dispose();

    [Fact]
    public void Help_lists_the_target_arguments_and_Status_ignores_a_machines_ENVIRONMENT()
    {
        var help = _service.Build("--help");
        help.ExitCode.ShouldBe(0, help.All);
        help.Output.ShouldContain("Target arguments:");
        help.Output.ShouldContain("--deploy-version=SEMVER");
        help.Output.ShouldContain("--percentage=0-100");

        var release = _service.Build("--target=Release", "--help");
        release.ExitCode.ShouldBe(0, release.All);
        release.Output.ShouldContain("--percentage=0-100");
        release.Output.ShouldNotContain("--deploy-version");
        release.Output.ShouldNotContain("fast-test-filter");

        // Status of one environment that does not exist would fail: ENVIRONMENT=prod must not choose it.
        _service.Environment["ENVIRONMENT"] = "prod";
        var status = _service.Build("--target=Status");
        status.ExitCode.ShouldBe(0, status.All);
        status.Output.ShouldContain("dev: nothing deployed");
        status.Output.ShouldContain("staging: nothing deployed");

        var chosen = _service.Build("--target=Status", "--environment=staging");
        chosen.ExitCode.ShouldBe(0, chosen.All);
        chosen.Output.ShouldNotContain("dev: nothing deployed");
    }
}
