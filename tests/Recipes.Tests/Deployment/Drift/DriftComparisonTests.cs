using Recipes.Deployment.Drift;

namespace Recipes.Tests.Deployment.Drift;

public sealed class DriftComparisonTests
{
    private const string Sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private const string OtherSha = "e346432021b04179518d9614f3560ccd71354a4ee101ddcb893d6959a9d6301c";

    private static readonly IgnorePatterns Nothing = new([]);

    private static ReleaseFileEntry File(string path, long size = 5, string sha = Sha, int? mode = 0b100_000_000) => new(path, size, sha, mode);

    [Fact]
    public void The_same_files_do_not_drift()
    {
        IReadOnlyList<ReleaseFileEntry> files = [File("app.dll"), File("wwwroot/site.css", mode: 0b101_000_000)];

        DriftComparison.Compare(files, [.. files.Reverse()], Nothing).ShouldBeEmpty();
    }

    [Fact]
    public void Changed_added_missing_and_mode_changed_files_are_each_named_sorted_by_path()
    {
        IReadOnlyList<ReleaseFileEntry> deployed = [File("a.dll"), File("b.json"), File("c.txt"), File("d.sh", mode: 0b101_000_000), File("e.dll")];
        IReadOnlyList<ReleaseFileEntry> live =
        [
            File("a.dll", size: 9, mode: 0b110_000_000), // edited by hand after a chmod u+w
            File("b.json", sha: OtherSha),               // same size, other bytes
            File("d.sh", mode: 0b111_101_101),           // only its mode
            File("e.dll"),
            File("z/new.dll"),
        ];

        var findings = DriftComparison.Compare(deployed, live, Nothing);

        findings.Select(f => f.ToString()).ShouldBe([
            "changed  a.dll (size 5 -> 9, mode 0400 -> 0600)",
            "changed  b.json (sha256 2cf24dba5fb0… -> e346432021b0…)",
            "missing  c.txt",
            "mode     d.sh (mode 0500 -> 0755)",
            "added    z/new.dll",
        ]);
        findings.Select(f => f.Kind).ShouldBe([DriftKind.Changed, DriftKind.Changed, DriftKind.Missing, DriftKind.ModeChanged, DriftKind.Added]);
    }

    [Fact]
    public void A_mode_is_compared_only_where_both_sides_have_one()
    {
        DriftComparison.Compare([File("app.dll", mode: null)], [File("app.dll", mode: 0b111_111_111)], Nothing).ShouldBeEmpty();
    }

    [Fact]
    public void Ignored_files_are_neither_added_missing_nor_changed()
    {
        var ignore = new IgnorePatterns(IgnorePatterns.Defaults);
        IReadOnlyList<ReleaseFileEntry> deployed = [File("app.dll"), File("logs/old.txt"), File("boot.log")];
        IReadOnlyList<ReleaseFileEntry> live = [File("app.dll"), File("logs/2026/today.txt"), File("boot.log", size: 99), File("sub/trace.log")];

        DriftComparison.Compare(deployed, live, ignore).ShouldBeEmpty();
        DriftComparison.Compare(deployed, live, Nothing).Select(f => f.Path).ShouldBe(["boot.log", "logs/2026/today.txt", "logs/old.txt", "sub/trace.log"]);
    }
}
