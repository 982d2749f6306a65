using System.Globalization;

namespace Recipes.Deployment;

/// <summary>
/// What the person deploying agreed to: an approval given on the command line or by a CI server's environment
/// reviewers, and whether a version that was rolled back may go in again.
/// </summary>
/// <param name="Approved">Whether the deploying person approved it themselves (<c>--approve=true</c>).</param>
/// <param name="ApprovedOn">The CI server whose environment approvals gated the job, or null on a laptop.</param>
/// <param name="Force">Whether a rolled-back version may be deployed again (<c>--force</c>).</param>
internal sealed record DeploymentConsent(bool Approved, string? ApprovedOn, bool Force)
{
    /// <summary>Nothing approved, nothing forced.</summary>
    public static DeploymentConsent None { get; } = new(false, null, false);
}

/// <summary>A deployment the deployer refuses before anything runs: approval missing, or a rolled-back version without force.</summary>
internal sealed class DeploymentRefusedException(string message) : RecipeException(message);

internal sealed partial class Deployer
{
    /// <summary>
    /// Who deploys, as the ledger records it: the request's user, with how an environment that needs approval was
    /// approved. A laptop approves with <c>--approve=true</c>; on a CI server the server's environment approvals
    /// (required reviewers) gate the job before the build starts.
    /// </summary>
    /// <exception cref="DeploymentRefusedException">The environment needs approval and none was given.</exception>
    public static string Approver(DeploymentRequest request) => Approver(request.Environment, request.Who, request.Consent);

    /// <summary>Who deploys to <paramref name="environment"/>: <paramref name="user"/>, with how <paramref name="consent"/> approved it when it needs approval.</summary>
    /// <exception cref="DeploymentRefusedException">The environment needs approval and none was given.</exception>
    public static string Approver(DeploymentEnvironment environment, string user, DeploymentConsent consent)
    {
        if (!environment.Approval)
        {
            return user;
        }

        if (consent.ApprovedOn is { } server)
        {
            return $"{user} (approved on {server})";
        }

        return consent.Approved
            ? $"{user} (approved)"
            : throw new DeploymentRefusedException(
                $"Environment '{environment.Name}' needs approval (approval: true); pass --approve=true to approve this deployment yourself, or deploy from CI where the environment's reviewers approve it.");
    }

    /// <summary>
    /// Refuses the request's version when its newest deployment to the environment (failed attempts aside) was rolled
    /// back and the request does not force it: a rolled-back release goes back in only on purpose, never because a
    /// pipeline merely ran again.
    /// </summary>
    /// <exception cref="DeploymentRefusedException">It was rolled back and <see cref="DeploymentConsent.Force"/> is not set.</exception>
    public void RequireNotRolledBack(DeploymentRequest request)
    {
        // No ledger yet: nothing was ever rolled back, and a refused deployment must not create one.
        if (request.Consent.Force || !File.Exists(Path.Combine(StateDirectory, DeploymentLedger.FileName)))
        {
            return;
        }

        var environment = request.Environment;
        var history = Ledger.History(environment.Name, int.MaxValue);
        var latest = history.FirstOrDefault(row => row.Version == request.Version && row.Kind != DeploymentKind.Release && row.Outcome is DeploymentOutcome.Succeeded or DeploymentOutcome.RolledBack);
        if (latest is not { Outcome: DeploymentOutcome.RolledBack })
        {
            return;
        }

        // History is newest first: the first rollback after the rolled-back row is the one that undid it.
        var undo = history.LastOrDefault(row => row.Kind == DeploymentKind.Rollback && row.Id > latest.Id && row.Outcome != DeploymentOutcome.Failed);
        var how = undo is null
            ? $"(ledger #{latest.Id})"
            : string.Create(CultureInfo.InvariantCulture, $"on {undo.Started.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {undo.Who}, back to {undo.Version} (ledger #{undo.Id})");
        var verb = request.Kind == DeploymentKind.Promote ? "promote" : "deploy";
        throw new DeploymentRefusedException(
            $"{environment.Artifact} {request.Version} was rolled back in {environment.Name} {how}; {verb} it again only on purpose, with --force.");
    }

    /// <summary>Both checks of <paramref name="request"/>, before anything is fetched or started; returns who deploys.</summary>
    /// <exception cref="DeploymentRefusedException">Approval is missing, or the version was rolled back and is not forced.</exception>
    public string Authorize(DeploymentRequest request)
    {
        var who = Approver(request);
        RequireNotRolledBack(request);
        return who;
    }
}
