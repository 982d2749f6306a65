using Recipes.Deployment.Hosts;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>
/// The run's <see cref="Fleet"/> of SSH hosts, reached the way the hosts target reaches them (<see cref="SshSession"/>):
/// each host answers on its own address from its own namespace, and a key other than the pinned one, an unknown host,
/// a wrong user or an unreachable address is refused in one line naming the host.
/// </summary>
[Trait("Category", "Slow")]
[Collection(FleetCollection.Name)]
public sealed class FleetSshTests : IDisposable
{
    private readonly Fleet _fleet = Fleet.Shared;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_host_answers_over_ssh_from_its_own_namespace_with_its_pinned_key()
    {
        var pins = Pins(_fleet.KnownHosts);
        foreach (var host in _fleet.Hosts)
        {
            using var session = await SshSession.OpenAsync(Entry(host), _fleet.ClientKey, pins, CancellationToken.None);
            var (status, output) = await session.RunAsync("ip -4 -o addr show; readlink /proc/self/ns/net", CancellationToken.None);

            status.ShouldBe(0, output);
            output.ShouldContain($"inet {host.Address}/24");
            output.ShouldNotContain($"{_fleet.Subnet}.1/24", customMessage: "the host's namespace has its own address, not this machine's end of the pair");
        }
    }

    // A host's shell start-up may print to stderr (this machine's root profile runs a pyenv hook whose rm once broke
    // the Drift listing): a command's output we parse is its standard output, and its errors are said when it fails.
    [Fact]
    public async Task What_a_command_prints_to_stderr_is_not_read_as_its_output_unless_it_fails()
    {
        var host = _fleet.Hosts[0];
        using var session = await SshSession.OpenAsync(Entry(host), _fleet.ClientKey, Pins(_fleet.KnownHosts), CancellationToken.None);

        (await session.RunAsync("echo noise >&2; echo listed", CancellationToken.None)).ShouldBe((0, "listed"));
        var failed = await session.RunAsync("echo partial; echo why >&2; exit 4", CancellationToken.None);
        failed.ExitStatus.ShouldBe(4);
        failed.Output.ShouldContain("why");
    }

    [Fact]
    public async Task A_changed_host_key_an_unknown_host_a_wrong_user_and_an_unreachable_host_are_each_refused_in_one_line()
    {
        var host = _fleet.Hosts[0];
        var otherKey = Path.Combine(_temp.Path, "other");
        ProcessRunner.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey], _temp.Path, TimeSpan.FromSeconds(30)).ExitCode.ShouldBe(0);
        var changed = Path.Combine(_temp.Path, "known_hosts_changed");
        File.WriteAllText(changed, $"{host.Address} {File.ReadAllText(otherKey + ".pub").Trim()}\n");
        var unknown = Path.Combine(_temp.Path, "known_hosts_empty");
        File.WriteAllText(unknown, string.Empty);

        var changedKey = await Refusal(Entry(host), Pins(changed));
        var notKnown = await Refusal(Entry(host), Pins(unknown));
        var wrongUser = await Refusal(Entry(host) with { User = "nobody" }, Pins(_fleet.KnownHosts));
        var unreachable = await Refusal(Entry(host) with { Address = $"{_fleet.Subnet}.99" }, Pins(_fleet.KnownHosts));

        changedKey.ShouldStartWith($"Host root@{host.Address} showed the host key ssh-ed25519 SHA256:");
        changedKey.ShouldContain("refused, nothing was uploaded");
        notKnown.ShouldStartWith($"Host root@{host.Address} is not in {unknown}");
        wrongUser.ShouldStartWith($"Host nobody@{host.Address} refused the SSH key for user nobody");
        unreachable.ShouldStartWith($"Host root@{_fleet.Subnet}.99 could not be reached over SSH on port 22: ");
        foreach (var message in new[] { changedKey, notKnown, wrongUser, unreachable })
        {
            message.ShouldNotContain("\n");
            message.ShouldNotContain("PRIVATE KEY");
        }
    }

    [Fact]
    public async Task A_host_lost_while_connected_fails_the_next_command_and_upload_in_one_line_naming_it()
    {
        var spare = _fleet.Spare;
        using var session = await SshSession.OpenAsync(Entry(spare), _fleet.ClientKey, Pins(_fleet.KnownHosts), CancellationToken.None);
        (await session.RunAsync("true", CancellationToken.None)).ExitStatus.ShouldBe(0);
        _fleet.Lose(spare);
        try
        {
            var command = await Should.ThrowAsync<RecipeException>(() => session.RunAsync("true", CancellationToken.None));
            using var content = new MemoryStream([1, 2, 3]);
            var upload = await Should.ThrowAsync<RecipeException>(() => session.UploadAsync(content, $"{spare.Path}/lost.bin", 600, CancellationToken.None));

            foreach (var message in new[] { command.Message, upload.Message })
            {
                message.ShouldStartWith($"Host root@{spare.Address} was lost: its SSH connection broke");
                message.ShouldNotContain("\n");
            }

            session.IsConnected.ShouldBeFalse();
        }
        finally
        {
            _fleet.BringBack(spare);
        }
    }

    private async Task<string> Refusal(HostEntry host, HostKeyPins pins) =>
        (await Should.ThrowAsync<RecipeException>(() => SshSession.OpenAsync(host, _fleet.ClientKey, pins, CancellationToken.None))).Message;

    private static HostEntry Entry(FleetHost host) => new(host.Address, "root", host.Path, null, 1);

    private static HostKeyPins Pins(string knownHosts) =>
        HostKeyPins.Of(new HostsSettings([], "DEPLOY_SSH_KEY", knownHosts, new BalancerSettings("nginx", "127.0.0.1")));
}
