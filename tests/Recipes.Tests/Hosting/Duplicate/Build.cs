using Recipes.Hosting;

namespace Recipes.Tests.Hosting.Duplicate;

public sealed class Build : FrostingTask
{
}
