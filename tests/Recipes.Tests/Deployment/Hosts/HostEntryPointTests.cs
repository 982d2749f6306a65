using Recipes.Deployment.Hosts;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Hosts;

/// <summary>
/// A host finds a release's entry point by the local store's own rule: its shell lists the app folder (with the first
/// bytes of the files that may be native executables) and the same choice is made from that list. Run here with the
/// host's command on folders shaped as publishes are, each answer must be the store's.
/// </summary>
public sealed class HostEntryPointTests : IDisposable
{
    private const string Id = "Acme.Clock.Api";
    private static readonly byte[] Elf = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
    private static readonly byte[] Text = "{}"u8.ToArray();
    private readonly TempDirectory _temp = new("recipes-host-entry");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> Publishes => new()
    {
        { "framework-dependent: the dll beside its runtimeconfig, its apphost beside", $"{Id}.dll {Id}.runtimeconfig.json {Id}=elf libSystem.Native.so=elf" },
        { "the dll of the only runtimeconfig", "Clock.dll Clock.runtimeconfig.json appsettings.json" },
        { "two runtimeconfigs: no choice", "A.dll A.runtimeconfig.json B.dll B.runtimeconfig.json" },
        { "Native AOT: the executable named as the package", $"{Id}=elf {Id}.dbg=elf libSystem.Native.so=elf appsettings.json .hidden=elf" },
        { "Native AOT under another name, the only one", "clock=elf libSystem.Native.so=elf web.config" },
        { "two executables: no choice", "clock=elf timer=elf" },
        { "a script named as the package is no native image", $"{Id}" },
    };

    [Theory]
    [MemberData(nameof(Publishes))]
    public void The_host_chooses_the_entry_point_the_local_store_chooses(string publish, string files)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var release = _temp.Combine(Guid.NewGuid().ToString("N")[..8]);
        var app = Directory.CreateDirectory(Path.Combine(release, "app")).FullName;
        foreach (var file in files.Split(' '))
        {
            var (name, native) = file.EndsWith("=elf", StringComparison.Ordinal) ? (file[..^4], true) : (file, false);
            File.WriteAllBytes(Path.Combine(app, name), native ? Elf : Text);
        }

        string? local;
        try
        {
            local = Path.GetFileName(ReleaseStore.FindEntryAssembly(app, Id, "1.0.0"));
        }
        catch (RecipeException)
        {
            local = null;
        }

        var listed = ProcessRunner.Run("/bin/sh", ["-c", HostReleases.AppListingCommand(release)], release, TimeSpan.FromSeconds(30));
        listed.ExitCode.ShouldBe(0, listed.All);
        var listing = HostReleases.ParseAppListing(listed.Output);

        listing.Keys.ShouldBe(Directory.GetFiles(app).Select(Path.GetFileName), ignoreOrder: true, publish);
        HostReleases.EntryPointInListing(Id, listing).ShouldBe(local, publish);
    }

    [Fact]
    public void Only_files_that_may_be_entry_points_are_read_on_the_host()
    {
        var listing = HostReleases.ParseAppListing($"7f454c46/{Id}\n-/libSystem.Native.so\n-/appsettings.json\n23212f62/run.sh\n");

        listing.ShouldBe(new Dictionary<string, string> { [Id] = "7f454c46", ["libSystem.Native.so"] = "-", ["appsettings.json"] = "-", ["run.sh"] = "23212f62" });
        HostReleases.EntryPointInListing(Id, listing).ShouldBe(Id);
        HostReleases.EntryPointInListing(Id, new Dictionary<string, string> { ["run.sh"] = "23212f62" }).ShouldBeNull("a script is not a native image");
    }
}
