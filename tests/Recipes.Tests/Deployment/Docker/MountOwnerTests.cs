using Recipes.Deployment.Docker;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>Release containers run as the owner of their mounts: the effective uid:gid of the deploying process.</summary>
public sealed class MountOwnerTests
{
    [Fact]
    public void The_effective_ids_are_read_from_the_status_file()
    {
        using var folder = new TempDirectory("recipes-mount-owner");
        File.WriteAllText(folder.Combine("status"), "Name:\tdotnet\nUid:\t1000\t1001\t1000\t1001\nGid:\t100\t101\t100\t101\nGroups:\t100\n");

        MountOwner.Read(folder.Combine("status")).ShouldBe("1001:101");
    }

    [Fact]
    public void No_status_file_leaves_the_images_own_user()
    {
        using var folder = new TempDirectory("recipes-mount-owner");

        MountOwner.Read(folder.Combine("missing")).ShouldBeNull();
    }
}
