using Recipes.Artifacts;
using Recipes.Deployment.Local;
using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// A Native AOT app's package holds a native executable and no runtimeconfig: the release store finds it as the entry
/// point and makes it executable again (a package keeps no file modes), and it is started by itself, not by dotnet.
/// </summary>
public sealed class NativeExecutablesTests : IDisposable
{
    private const string Id = "Acme.Clock.Api";
    private static readonly byte[] Elf = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
    private readonly TempDirectory _temp = new("recipes-native");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_executable_named_as_the_package_is_the_entry_point_and_its_libraries_and_symbols_are_not()
    {
        var folder = Folder(("libSystem.Native.so", Elf), ("Acme.Clock.Api.dbg", Elf), (Id, Elf), ("appsettings.json", "{}"u8.ToArray()));

        NativeExecutables.Find(folder, Id).ShouldBe(Path.Combine(folder, Id));
        ReleaseStore.FindEntryAssembly(folder, Id, "1.0.0").ShouldBe(Path.Combine(folder, Id), "no runtimeconfig: a Native AOT publish");
    }

    [Fact]
    public void An_executable_under_another_name_is_the_entry_point_when_it_is_the_only_one()
    {
        var folder = Folder(("libSystem.Native.so", Elf), ("clock", Elf));

        NativeExecutables.Find(folder, Id).ShouldBe(Path.Combine(folder, "clock"));
    }

    [Fact]
    public void Two_executables_under_other_names_or_a_script_named_as_the_package_are_no_entry_point()
    {
        NativeExecutables.Find(Folder(("clock", Elf), ("timer", Elf)), Id).ShouldBeNull("which of the two runs is a guess");
        NativeExecutables.Find(Folder((Id, "#!/bin/sh\necho hi\n"u8.ToArray())), Id).ShouldBeNull("a script is not a native image");

        var refused = Should.Throw<RecipeException>(() => ReleaseStore.FindEntryAssembly(Folder(("clock", Elf), ("timer", Elf)), Id, "1.0.0"));
        refused.Message.ShouldBe($"{Id} 1.0.0 has no {Id}.dll with {Id}.runtimeconfig.json, not exactly one *.runtimeconfig.json (found none) and no native executable {Id}; "
            + "publish the app framework-dependent or Native AOT under its package id");
    }

    [Fact]
    public void A_dll_runs_under_dotnet_and_a_native_executable_by_itself()
    {
        var (program, arguments) = NativeExecutables.Command("/r/Acme.Api.dll", ["--urls", "http://127.0.0.1:1"]);
        Path.GetFileNameWithoutExtension(program).ShouldBe("dotnet");
        arguments.ShouldBe(["/r/Acme.Api.dll", "--urls", "http://127.0.0.1:1"]);

        var native = NativeExecutables.Command("/r/Acme.Clock.Api", ["--urls", "http://127.0.0.1:1"]);
        native.Program.ShouldBe("/r/Acme.Clock.Api");
        native.Arguments.ShouldBe(["--urls", "http://127.0.0.1:1"]);
    }

    [Fact]
    public async Task A_native_executable_unpacked_from_its_package_runs_from_the_read_only_release_folder()
    {
        // A Linux executable (/bin/true) stands in for the app; the suite runs on Linux.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var publish = Folder((Id, File.ReadAllBytes("/bin/true")), ("appsettings.json", "{}"u8.ToArray()));
        var package = PackageFiles.Read(DeployablePackager.Pack(publish, Id, "1.0.0", "Recipes tests", _temp.Combine("packed"), "1700000000"));
        var feed = new FolderFeed(_temp.Combine("feed"));
        await feed.PushAsync(package, timeout.Token);
        var store = new ReleaseStore(_temp.Combine("releases"));

        var release = await store.PrepareAsync(feed, Id, "1.0.0", package.Sha512, timeout.Token);

        release.EntryAssembly.ShouldBe(Path.Combine(release.Folder, Id));
        var mode = File.GetUnixFileMode(release.EntryAssembly);
        (mode & UnixFileMode.UserExecute).ShouldNotBe((UnixFileMode)0, "a package keeps no modes; the store gives the executable its bit back");
        (mode & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)).ShouldBe((UnixFileMode)0, "and it stays read-only");
        var (program, arguments) = release.Command();
        using var run = System.Diagnostics.Process.Start(program, arguments)!;
        await run.WaitForExitAsync(timeout.Token);
        run.ExitCode.ShouldBe(0, "it runs by itself, as the supervisor starts it");
        store.Prune(keep: 0);
    }

    private string Folder(params (string Name, byte[] Content)[] files)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("publish-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        foreach (var (name, content) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), content);
        }

        return folder;
    }
}
