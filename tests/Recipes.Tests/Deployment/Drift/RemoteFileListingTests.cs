using Recipes.Deployment.Drift;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Drift;

public sealed class RemoteFileListingTests
{
    /// <summary>
    /// What <see cref="RemoteFileListing.Command"/> printed on Debian (GNU findutils, coreutils) for the folder
    /// <see cref="CreateCapturedFolder"/> makes: a file name with a space, an executable, read-only files, a log.
    /// </summary>
    private const string Captured = """
        stat 755 10 run.sh
        stat 644 7 wwwroot/css/site two.css
        stat 644 2 logs/today.log
        stat 400 5 app.dll
        stat 400 8 appsettings.json
        a8076d3d28d21e02012b20eaf7dbf75409a6277134439025f282e368e3305abf  ./run.sh
        2708d73bf31c36cdfa1aa466551ed101017280fa546caba4473cfef6e92a93b5  ./wwwroot/css/site two.css
        73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac  ./logs/today.log
        2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  ./app.dll
        e346432021b04179518d9614f3560ccd71354a4ee101ddcb893d6959a9d6301c  ./appsettings.json

        """;

    [Fact]
    public void Captured_find_and_sha256sum_output_parses_into_entries_sorted_by_path()
    {
        var entries = RemoteFileListing.Parse(Captured, "host web-1");

        entries.Select(e => (e.Path, e.Size, e.ModeText)).ShouldBe([
            ("app.dll", 5L, "0400"),
            ("appsettings.json", 8L, "0400"),
            ("logs/today.log", 2L, "0644"),
            ("run.sh", 10L, "0755"),
            ("wwwroot/css/site two.css", 7L, "0644"),
        ]);
        entries[0].Sha256.ShouldBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    }

    [Fact]
    public void A_remote_listing_equals_the_local_listing_of_the_same_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Modes are Unix's.
        }

        using var folder = new TempDirectory("drift-listing");
        CreateCapturedFolder(folder.Path);

        RemoteFileListing.Parse(Captured, "host web-1").ShouldBe(ReleaseFileEntry.OfFolder(folder.Path));
    }

    [Fact]
    public void Names_sha256sum_escapes_are_read_back()
    {
        var output = """
            stat 400 3 a\b.txt
            \2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  ./a\\b.txt
            """;

        RemoteFileListing.Parse(output, "host web-1").Single().Path.ShouldBe("a\\b.txt");
    }

    [Theory]
    [InlineData("stat 400 5 app.dll\nnot a line\n", "line 2 'not a line'")]
    [InlineData("stat 4x0 5 app.dll\n", "line 1")]
    [InlineData("stat 400 5 app.dll\n", "app.dll in only one of its two parts")]
    [InlineData("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  ./app.dll\n", "app.dll in only one")]
    public void Output_that_is_not_a_listing_is_refused_naming_the_place_and_line(string output, string expected)
    {
        var refused = Should.Throw<RecipeException>(() => RemoteFileListing.Parse(output, "host web-1"));

        refused.Message.ShouldContain("host web-1");
        refused.Message.ShouldContain(expected);
    }

    [Fact]
    public void The_command_quotes_the_folder_for_the_shell()
    {
        RemoteFileListing.Command("/srv/it's here").ShouldStartWith("cd -- '/srv/it'\\''s here' && find . -type f -printf");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateCapturedFolder(string root)
    {
        void Write(string path, string text, UnixFileMode mode)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            File.SetUnixFileMode(full, mode);
        }

        const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Write("app.dll", "hello", UnixFileMode.UserRead);
        Write("appsettings.json", "{\"a\":1}\n", UnixFileMode.UserRead);
        Write("wwwroot/css/site two.css", "body{}\n", ReadWrite);
        Write("logs/today.log", "x\n", ReadWrite);
        Write("run.sh", "#!/bin/sh\n", ReadWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
