using Cake.Common.Build;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Pipeline.Arguments;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Reads and checks what the Deploy, Promote, Rollback, Status and Stop targets are asked to do, before any of
/// them runs: a missing or wrong argument is a configuration error (one line, exit code 2).
/// </summary>
internal static class DeployArguments
{
    /// <summary>
    /// The deployer for this repository's state folder, over the registered deployment targets; it opens the ledger
    /// when first needed (Stop and Status work without it).
    /// </summary>
    public static Deployer Deployment(RecipeContext context) =>
        new(context.OpenLedger, TargetArgumentTable.LockTimeout.Value(context.Arguments), DeploymentTargets.Builtin, new TargetServices(context.StateDirectory, message => context.Log.Information("{0}", message), context.Settings))
        {
            Summary = context.Summary,
            DatabaseChecks = new Deployment.Database.LiveReleaseDatabaseChecks(
                context,
                context.RepositoryRoot,
                () => [.. context.TestProjects(Discovery.TestStage.Slow).Select(project => Path.GetRelativePath(context.RepositoryRoot, project.Path))],
                context.Settings.Feed,
                context.Settings.Configuration),
        };

    /// <summary>Every secret <paramref name="environment"/> declares has its variable set, before anything is downloaded.</summary>
    /// <exception cref="RecipeConfigurationException">A secret's variable is not set.</exception>
    public static void RequireSecrets(DeploymentEnvironment environment)
    {
        if (Deployer.UnsetSecrets(environment) is { } problem)
        {
            throw new RecipeConfigurationException(problem);
        }
    }

    /// <summary>The exact package a Deploy puts into <paramref name="environment"/>: version, digest and commit.</summary>
    /// <remarks>
    /// The digest comes from the commit stage's manifest (this run's, <c>--manifest=PATH</c>, or the one in the
    /// artifacts folder); for a version the manifest does not list, from the ledger's record of an earlier deployment
    /// of it. Never from the feed itself: the feed's copy is what is being checked.
    /// </remarks>
    public static (string Version, string Digest, string Commit) Package(RecipeContext context, DeploymentEnvironment environment)
    {
        var version = TargetArgumentTable.DeployVersion.Value(context.Arguments);
        var manifest = Manifest(context);
        var listed = manifest?.Artifacts.FirstOrDefault(a =>
            string.Equals(a.Id, environment.Artifact, StringComparison.OrdinalIgnoreCase) && (version is null || a.Version == version));
        if (listed is not null)
        {
            var digest = DeploymentTargets.Builtin.For(environment).ArtifactDigest(listed, ManifestPath(context));
            return (listed.Version, digest, manifest!.Commit);
        }

        if (version is not null && context.OpenLedger().FindVersion(environment.Artifact, version) is { } earlier)
        {
            return (version, earlier.Digest, earlier.Commit);
        }

        var manifestName = ManifestPath(context);
        if (manifest is null)
        {
            throw new RecipeConfigurationException(version is null
                ? $"Deploy takes the version from the commit stage's manifest, and there is no {manifestName}; run ./build.sh --target=CommitStage first, or pass --deploy-version=V with --manifest=PATH of the run that built it."
                : $"Nothing records the SHA-512 of {environment.Artifact} {version}: there is no {manifestName} and it was never deployed here; pass --manifest=PATH of the commit stage that built it.");
        }

        var artifacts = string.Join(", ", manifest.Artifacts.Select(a => $"{a.Id} {a.Version}"));
        throw new RecipeConfigurationException(version is null
            ? $"{manifestName} lists {artifacts}, not {environment.Artifact}, which environment '{environment.Name}' deploys; check 'artifact' in {context.Settings.EnvironmentsFile}."
            : $"{manifestName} lists {artifacts}, not {environment.Artifact} {version}, and the ledger has no earlier deployment of it; pass --manifest=PATH of the commit stage that built {version}.");
    }

    /// <summary>
    /// What the person deploying agreed to: <c>--approve=true</c> on a laptop, the CI server's own environment
    /// approvals (required reviewers gate the job before the build starts) elsewhere, and <c>--force</c>.
    /// </summary>
    public static DeploymentConsent Consent(RecipeContext context) => new(
        TargetArgumentTable.Approve.Value(context.Arguments),
        context.BuildSystem().IsLocalBuild ? null : context.BuildSystem().Provider.ToString(),
        TargetArgumentTable.Force.Value(context.Arguments));

    /// <summary>The deployer's approval and rolled-back checks of <paramref name="request"/>, as configuration errors (exit code 2) before any task runs.</summary>
    /// <exception cref="RecipeConfigurationException">Approval is not given, or the version was rolled back and --force is not given.</exception>
    public static DeploymentRequest Authorized(RecipeContext context, DeploymentRequest request)
    {
        AsConfigurationError(() => Deployment(context).Authorize(request));
        return request;
    }

    /// <summary>
    /// The approval check alone, for a run whose package the manifest names only once Package has run.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">Approval is not given.</exception>
    public static void RequireApproval(RecipeContext context, DeploymentEnvironment environment) =>
        AsConfigurationError(() => Deployer.Approver(environment, System.Environment.UserName, Consent(context)));

    private static void AsConfigurationError(Func<string> check)
    {
        try
        {
            _ = check();
        }
        catch (DeploymentRefusedException refused)
        {
            throw new RecipeConfigurationException(refused.Message, refused);
        }
    }

    /// <summary>What a Deploy deploys: the package <c>--deploy-version</c> or the manifest names, to <c>--environment</c>, by whom.</summary>
    /// <exception cref="RecipeConfigurationException">An argument is missing or wrong, a secret's variable is not set, nothing records the package's digest, approval is not given, or the version was rolled back and --force is not given.</exception>
    public static DeploymentRequest Deployment(RecipeContext context, DeploymentEnvironment environment)
    {
        RequireSecrets(environment);
        var (version, digest, commit) = Package(context, environment);
        return Authorized(context, new DeploymentRequest(environment, context.OpenFeed(), version, digest, commit, DeploymentKind.Deploy, System.Environment.UserName) { Consent = Consent(context) });
    }

    /// <summary>
    /// What a Promote deploys: what is live in <c>--from</c>, to <c>--to</c>, with the same version and SHA-512 as the
    /// source's ledger row, by whom.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">An argument is wrong, nothing is live in the source, the two environments run different artifacts, a secret's variable is not set, or the version was rolled back in the target and --force is not given.</exception>
    public static DeploymentRequest Promotion(RecipeContext context)
    {
        var from = Named(context, TargetArgumentTable.From, "Promote");
        var to = Named(context, TargetArgumentTable.To, "Promote");
        if (from.Name == to.Name)
        {
            throw new RecipeConfigurationException($"Promote needs two different environments; --from and --to are both '{from.Name}'.");
        }

        if (!string.Equals(from.Artifact, to.Artifact, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecipeConfigurationException($"'{from.Name}' runs {from.Artifact} and '{to.Name}' runs {to.Artifact}; Promote moves one artifact, so both must name the same 'artifact' in {context.Settings.EnvironmentsFile}.");
        }

        RequireSecrets(to);
        // A feature released before any deployment leaves a row without a version: nothing to promote either.
        var live = context.OpenLedger().Live(from.Name) is { Version.Length: > 0 } row ? row : throw new RecipeConfigurationException($"Nothing is live in '{from.Name}' to promote; deploy it first with ./build.sh --target=Deploy --environment={from.Name}.");
        return Authorized(context, new DeploymentRequest(to, context.OpenFeed(), live.Version, live.Digest, live.Commit, DeploymentKind.Promote, System.Environment.UserName) { Consent = Consent(context) });
    }

    /// <summary>The environment named by <paramref name="argument"/> (<c>--from</c>, <c>--to</c>).</summary>
    private static DeploymentEnvironment Named(RecipeContext context, TargetArgument argument, string target)
    {
        var environments = context.LoadEnvironments();
        var name = argument.Text(context.Arguments)
            ?? throw new RecipeConfigurationException($"{target} needs --{argument.Name}=NAME; {environments.File} has {string.Join(", ", environments.Environments.Select(e => e.Name))}.");
        return environments.Environments.FirstOrDefault(e => e.Name == name)
            ?? throw new RecipeConfigurationException($"--{argument.Name} is '{name}', which is not an environment in {environments.File}; it has {string.Join(", ", environments.Environments.Select(e => e.Name))}.");
    }

    /// <summary>The environments a Status or Stop covers: the one named by <c>--environment</c>, or all of them.</summary>
    public static IReadOnlyList<DeploymentEnvironment> EnvironmentOrAll(RecipeContext context, string target) =>
        !TargetArgumentTable.EnvironmentOrAll.IsGiven(context.Arguments)
            ? context.LoadEnvironments().Environments
            : [ReleaseArguments.Environment(context, target)];

    private static ArtifactManifest? Manifest(RecipeContext context)
    {
        if (context.Manifest is not null && TargetArgumentTable.Manifest.Text(context.Arguments) is null)
        {
            return context.Manifest;
        }

        var path = ManifestPath(context);
        if (!File.Exists(path))
        {
            if (TargetArgumentTable.Manifest.Text(context.Arguments) is not null)
            {
                throw new RecipeConfigurationException($"--manifest is {path}, which does not exist; give the manifest.json of the commit stage that built the version.");
            }

            return null;
        }

        try
        {
            return ArtifactManifest.Read(path);
        }
        catch (RecipeException exception)
        {
            throw new RecipeConfigurationException(exception.Message, exception);
        }
    }

    private static string ManifestPath(RecipeContext context) =>
        TargetArgumentTable.Manifest.Text(context.Arguments) is { } given ? Path.GetFullPath(given, context.RepositoryRoot) : context.Artifacts.Manifest;
}
