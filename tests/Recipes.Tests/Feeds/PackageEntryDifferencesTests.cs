using System.IO.Compression;
using System.Text;
using Recipes.Feeds;

namespace Recipes.Tests.Feeds;

public sealed class PackageEntryDifferencesTests
{
    [Fact]
    public void Changed_files_and_files_only_one_package_holds_are_named_and_packaging_parts_are_not()
    {
        using var local = Zip(("lib/net10.0/A.dll", "same"), ("lib/net10.0/A.xml", "net10.0 docs"), ("lib/net8.0/A.dll", "new"), ("_rels/.rels", "local"), ("package/services/metadata/core-properties/1.psmdcp", "x"));
        using var feed = Zip(("lib/net10.0/A.dll", "same"), ("lib/net10.0/A.xml", "browser docs"), ("content/old.txt", "old"), ("_rels/.rels", "feed"), ("package/services/metadata/core-properties/2.psmdcp", "x"));

        var differences = PackageEntryDifferences.Compare(local, feed);

        differences.SameFiles.ShouldBeFalse();
        differences.Lines().ShouldBe([
            "lib/net10.0/A.xml (changed)",
            "lib/net8.0/A.dll (only in this build's package)",
            "content/old.txt (only in the feed's copy)",
        ]);
    }

    [Fact]
    public void The_same_files_zipped_differently_are_the_same_files()
    {
        using var local = Zip(("lib/net10.0/A.dll", "same"), ("[Content_Types].xml", "one"));
        using var feed = Zip(("[Content_Types].xml", "two"), ("lib/net10.0/A.dll", "same"));

        var differences = PackageEntryDifferences.Compare(local, feed);

        differences.SameFiles.ShouldBeTrue();
        differences.Lines().ShouldBeEmpty();
    }

    [Fact]
    public void Only_the_first_ten_differences_are_listed_and_the_rest_counted()
    {
        var files = Enumerable.Range(0, 13).Select(i => ($"content/{i:D2}.txt", "local")).ToArray();
        using var local = Zip(files);
        using var feed = Zip(files.Select(f => (f.Item1, "feed")).ToArray());

        var lines = PackageEntryDifferences.Compare(local, feed).Lines();

        lines.Count.ShouldBe(PackageEntryDifferences.Listed + 1);
        lines[0].ShouldBe("content/00.txt (changed)");
        lines[^1].ShouldBe("... and 3 more");
    }

    private static MemoryStream Zip(params (string Name, string Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = archive.CreateEntry(name).Open();
                writer.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return stream;
    }
}
