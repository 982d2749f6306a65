using Recipes.Deployment;
using Recipes.Deployment.Local;

namespace Recipes.Tests.Deployment.Targets;

/// <summary>The environments file checks <c>target:</c> and each target's own fields against the registration table.</summary>
public sealed class DeploymentTargetsFileTests
{
    private const string File = "environments.yml";

    private static readonly DeploymentTargets WithMemory = new([LocalDeployment.Registration, InMemoryTarget.Registration(new InMemoryTarget("unused.db"))]);

    [Fact]
    public void An_unknown_target_is_one_line_with_file_line_and_the_known_targets()
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse(File, Environment("    target: kubernetes\n"), WithMemory));

        error.Message.ShouldBe("environments.yml:5: target: 'kubernetes' is not a deployment target; known: local, memory");
        (error.Line, error.Field).ShouldBe((5, "target"));
    }

    [Fact]
    public void A_registered_target_reads_its_own_fields()
    {
        var dev = EnvironmentsFile.Parse(File, Environment("    target: memory\n    memory-slots: 3\n"), WithMemory).Environments.Single();

        (dev.Target, dev.TargetSettings).ShouldBe(("memory", (object)3));
    }

    [Fact]
    public void A_target_checks_its_own_fields_with_file_and_line()
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse(File, Environment("    target: memory\n    memory-slots: 9\n"), WithMemory));

        (error.Line, error.Field).ShouldBe((6, "memory-slots"));
    }

    [Fact]
    public void Another_targets_field_is_refused_rather_than_ignored()
    {
        var error = Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse(File, Environment("    memory-slots: 2\n"), WithMemory));

        error.Message.ShouldBe("environments.yml:5: 'memory-slots' is a field of the memory target, and this environment's target is 'local'; remove it or set target: memory.");
    }

    [Fact]
    public void The_builtin_table_knows_the_local_target_and_creates_it()
    {
        DeploymentTargets.Builtin.Find("local").ShouldNotBeNull()
            .Create(new TargetServices(Path.GetTempPath(), _ => { }, null)).Name.ShouldBe("local");
    }

    private static string Environment(string extra) =>
        "environments:\n  - name: dev\n    artifact: App\n    port: 5080\n" + extra;
}
