namespace Recipes.Tests.Discovery;

/// <summary>
/// A repository with one project of every kind that discovery must tell apart, in an .slnx with solution folders,
/// central package versions and no restore. Its nuget.config offers only an empty local feed, so nothing is
/// downloaded: the MSTest.Sdk project shows that discovery works while a project SDK cannot be resolved yet.
/// </summary>
public sealed class MessyRepository : IDisposable
{
    private readonly TempRepository _repo = new();

    public MessyRepository()
    {
        _repo.Write("nuget.config", """
            <configuration>
              <packageSources><clear /><add key="offline" value="feed" /></packageSources>
            </configuration>
            """);
        Directory.CreateDirectory(Path.Combine(_repo.Root, "feed"));
        _repo.Write("Directory.Packages.props", """
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageVersion Include="xunit" Version="2.9.3" />
                <PackageVersion Include="xunit.v3" Version="3.1.0" />
                <PackageVersion Include="MSTest" Version="3.10.0" />
                <PackageVersion Include="NUnit" Version="4.4.0" />
                <PackageVersion Include="NUnit3TestAdapter" Version="5.1.0" />
                <PackageVersion Include="BenchmarkDotNet" Version="0.15.2" />
              </ItemGroup>
            </Project>
            """);
        // A folder-wide IsPackable=true does not say anyone meant to publish the samples.
        _repo.Write("samples/Directory.Build.props", "<Project><PropertyGroup><IsPackable>true</IsPackable></PropertyGroup></Project>");

        const string xunit = """<PackageReference Include="Microsoft.NET.Test.Sdk" /><PackageReference Include="xunit" />""";
        string[] projects =
        [
            _repo.Project("src/Contoso.Core/Contoso.Core.csproj", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>"),
            _repo.Project("src/Contoso.Client/Contoso.Client.csproj", "<PackageId>Contoso.Client.Sdk</PackageId>"),
            _repo.Project("src/Contoso.Web/Contoso.Web.csproj", sdk: "Microsoft.NET.Sdk.Web"),
            _repo.Project("src/Contoso.Worker/Contoso.Worker.csproj", sdk: "Microsoft.NET.Sdk.Worker"),
            _repo.Project("src/Contoso.Migrator/Contoso.Migrator.csproj", "<OutputType>Exe</OutputType><RecipesDeployable>true</RecipesDeployable>"),
            _repo.Project("src/Contoso.Admin/Contoso.Admin.csproj", "<RecipesDeployable>false</RecipesDeployable>", sdk: "Microsoft.NET.Sdk.Web"),
            _repo.Project("src/Contoso.Cli/Contoso.Cli.csproj", "<OutputType>Exe</OutputType><PackAsTool>true</PackAsTool>"),
            _repo.Project("src/Contoso.Internal/Contoso.Internal.csproj", "<IsPackable>false</IsPackable>"),
            _repo.Project("src/Contoso.Testing/Contoso.Testing.csproj", "<IsTestProject>false</IsTestProject>", """<PackageReference Include="xunit" />"""),
            _repo.Project("tools/Contoso.Seeder/Contoso.Seeder.csproj", "<OutputType>Exe</OutputType>"),
            _repo.Project("benchmarks/Contoso.Benchmarks/Contoso.Benchmarks.csproj", "<OutputType>Exe</OutputType>",
                """<PackageReference Include="BenchmarkDotNet" />"""),
            _repo.Project("samples/Contoso.Samples/Contoso.Samples.csproj"),
            _repo.Project("samples/Contoso.Demo/Contoso.Demo.csproj", "<IsPackable>true</IsPackable>"),
            _repo.Project("tests/Contoso.Core.Tests/Contoso.Core.Tests.csproj", items: xunit),
            _repo.Project("tests/Contoso.Client.Tests/Contoso.Client.Tests.csproj", items: """<PackageReference Include="MSTest" />"""),
            _repo.Project("tests/Contoso.Legacy.Tests/Contoso.Legacy.Tests.csproj", items:
                """<PackageReference Include="NUnit" /><PackageReference Include="NUnit3TestAdapter" />"""),
            _repo.Project("tests/Contoso.Ui.Tests/Contoso.Ui.Tests.csproj", sdk: "MSTest.Sdk/3.10.0"),
            _repo.Project("tests/Contoso.Core.IntegrationTests/Contoso.Core.IntegrationTests.csproj", "<OutputType>Exe</OutputType>",
                """<PackageReference Include="xunit.v3" />"""),
            _repo.Project("tests/Contoso.Db.Tests/Contoso.Db.Tests.csproj", "<RecipesTestStage>Slow</RecipesTestStage>", xunit),
            _repo.Project("tests/Contoso.Web.AcceptanceTests/Contoso.Web.AcceptanceTests.csproj", "<RecipesTestStage>Fast</RecipesTestStage>", xunit),
            _repo.Project("tests/Contoso.Smoke/Contoso.Smoke.csproj", "<IsTestProject>true</IsTestProject>"),
            // An SDK that only restore would fetch: the project still evaluates, as one that packs nothing.
            _repo.Project("deploy/Contoso.Infrastructure/Contoso.Infrastructure.csproj", sdk: "Microsoft.Build.NoTargets/3.7.56"),
        ];
        ProjectPaths = projects.Order(StringComparer.Ordinal).ToList();
        // Visual Studio's docker-compose project: not a project type MSBuild knows.
        var dockerCompose = _repo.Write("deploy/docker-compose.dcproj", """<Project Sdk="Microsoft.Docker.Sdk" />""");
        Solution = _repo.Slnx("Contoso.slnx", [.. projects, dockerCompose]);
    }

    public string Root => _repo.Root;

    public string Solution { get; }

    /// <summary>The MSBuild project files of the solution, ordered by path.</summary>
    public IReadOnlyList<string> ProjectPaths { get; }

    public void Dispose() => _repo.Dispose();
}
