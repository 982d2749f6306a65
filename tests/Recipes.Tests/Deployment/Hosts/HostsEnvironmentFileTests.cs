using Recipes.Deployment;
using Recipes.Deployment.Hosts;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>A <c>target: hosts</c> environment in environments.yml: what it reads, and one line per problem with file, line and field.</summary>
public sealed class HostsEnvironmentFileTests
{
    private const string File = "environments.yml";

    private static string Environment(string hosts = "[ { address: 10.0.0.11, user: deploy }, { address: 10.0.0.12, user: deploy, path: /srv/shop } ]",
        string ssh = "{ key-from-env: DEPLOY_SSH_KEY, known-hosts: known_hosts }", string balancer = "{ kind: nginx }", string strategy = "{ kind: blue-green }") => $"""
        environments:
          - name: production
            target: hosts
            artifact: Acme.Shop.Api
            port: 8080
            hosts: {hosts}
            ssh: {ssh}
            balancer: {balancer}
            strategy: {strategy}
        """;

    private static string Fails(string yaml) => Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse(File, yaml)).Message;

    [Fact]
    public void Hosts_ssh_and_balancer_read_into_the_environments_settings()
    {
        var settings = EnvironmentsFile.Parse(File, Environment()).Get("production").TargetSettings.ShouldBeOfType<HostsSettings>();

        settings.Hosts.Select(host => (host.Address, host.User, host.Path)).ShouldBe([("10.0.0.11", "deploy", HostsSettings.DefaultPath), ("10.0.0.12", "deploy", "/srv/shop")]);
        settings.KeyVariable.ShouldBe("DEPLOY_SSH_KEY");
        settings.KnownHosts.ShouldBe(Path.GetFullPath("known_hosts"));
        settings.Balancer.Kind.ShouldBe("nginx");
        settings.Balancer.Include.ShouldBeNull();
    }

    [Fact]
    public void A_balancer_include_is_read_as_a_full_path_beside_the_file()
    {
        var snippet = Path.GetTempFileName();
        try
        {
            var settings = EnvironmentsFile.Parse(File, Environment(balancer: $"{{ kind: nginx, include: {snippet} }}")).Get("production").TargetSettings.ShouldBeOfType<HostsSettings>();

            settings.Balancer.Include.ShouldBe(snippet);
        }
        finally
        {
            System.IO.File.Delete(snippet);
        }
    }

    [Theory]
    [InlineData("hosts", "[ { address: 10.0.0.11, user: deploy }, { address: 10.0.0.11, user: root } ]", "environments.yml:6: 'hosts[].address' 10.0.0.11 is listed twice (first on line 6)")]
    [InlineData("ssh", "{ known-hosts: known_hosts }", "environments.yml:7: 'ssh.key-from-env' is missing; add it, for example key-from-env: DEPLOY_SSH_KEY.")]
    [InlineData("balancer", "{ kind: haproxy }", "environments.yml:8: 'balancer.kind' is 'haproxy'; the hosts target balances with nginx only")]
    [InlineData("balancer", "{ kind: nginx, include: deploy/no-such-nginx.conf }", "environments.yml:8: 'balancer.include' is 'deploy/no-such-nginx.conf', which does not exist")]
    [InlineData("hosts", "[ { address: 10.0.0.11 } ]", "environments.yml:6: 'hosts[].user' is missing")]
    [InlineData("strategy", "{ kind: rolling, batch: 2 }", "environments.yml:9: 'strategy.batch' is 2 with 2 host(s); a batch must leave at least one host serving")]
    [InlineData("strategy", "{ kind: rolling, batch: 0 }", "environments.yml:9: 'strategy.batch'")]
    [InlineData("strategy", "{ kind: rolling, steps: [10, 100] }", "environments.yml:9: unknown key 'strategy.steps'. Known keys: kind, batch, pause.")]
    [InlineData("strategy", "{ kind: in-place }", "environments.yml:9: 'strategy' is in-place; target hosts deploys blue-green, canary (without probe) or rolling")]
    [InlineData("strategy", "{ kind: canary, steps: [10, 100], probe: true }", "environments.yml:9: 'strategy' is canary with probe; target hosts deploys blue-green, canary (without probe) or rolling")]
    [InlineData("strategy", "{ kind: blue-green, slow-start: 4s }", "environments.yml:9: 'strategy.slow-start' is set; target hosts switches blue-green in one nginx apply: remove slow-start")]
    public void Each_problem_is_one_line_naming_file_line_and_field(string field, string value, string expected)
    {
        var yaml = field switch
        {
            "hosts" => Environment(hosts: value),
            "ssh" => Environment(ssh: value),
            "balancer" => Environment(balancer: value),
            _ => Environment(strategy: value),
        };

        var message = Fails(yaml);

        message.ShouldStartWith(expected);
        message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_host_without_a_pinned_key_is_refused_so_no_key_is_ever_accepted_unchecked()
    {
        Fails(Environment(ssh: "{ key-from-env: DEPLOY_SSH_KEY }")).ShouldContain("host 10.0.0.11 has no pinned key");
    }

    [Fact]
    public void Rolling_reads_its_batch_and_pause_and_is_refused_where_there_is_no_fleet()
    {
        EnvironmentsFile.Parse(File, Environment(strategy: "{ kind: rolling, batch: 1, pause: 10s }")).Get("production").Strategy
            .ShouldBe(new RollingStrategy(1, TimeSpan.FromSeconds(10)));
        EnvironmentsFile.Parse(File, Environment(strategy: "{ kind: rolling }")).Get("production").Strategy.ShouldBe(new RollingStrategy(1, TimeSpan.Zero));

        var local = Fails("environments:\n  - name: dev\n    artifact: A\n    port: 5080\n    strategy: { kind: rolling }\n");

        local.ShouldStartWith("environments.yml:5: 'strategy' is rolling, which switches a fleet's hosts in batches; target local runs one copy");
        local.ShouldNotContain("\n");
    }

    [Fact]
    public void Another_targets_environment_may_not_carry_hosts_fields()
    {
        Fails("environments:\n  - name: dev\n    artifact: A\n    port: 5080\n    hosts: [ { address: 10.0.0.11, user: deploy } ]\n")
            .ShouldContain("'hosts' is a field of the hosts target");
    }
}
