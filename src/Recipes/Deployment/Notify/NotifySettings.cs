using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment.Notify;

/// <summary>
/// An environment's <c>notify:</c>: the variable of the deploying process that holds the webhook's URL. The URL is a
/// secret (it often carries a token), so the file names only the variable, and no message ever shows the URL.
/// </summary>
/// <param name="WebhookVariable">The environment variable that holds the webhook's URL, such as <c>DEPLOY_WEBHOOK</c>.</param>
internal sealed partial record NotifySettings(string WebhookVariable)
{
    /// <summary>Reads <c>notify:</c> of one environment, or null when it has none.</summary>
    /// <exception cref="EnvironmentsFileException">A field is unknown, missing, or not a variable name.</exception>
    public static NotifySettings? Read(YamlFields environment)
    {
        if (environment.Find("notify") is not { } node)
        {
            return null;
        }

        if (node is not YamlMappingNode)
        {
            throw environment.Error(node, "notify", "'notify' must be a mapping, such as { webhook-from-env: DEPLOY_WEBHOOK }.");
        }

        var notify = new YamlFields(environment.File, node, environment.Prefix + "notify.", ["webhook-from-env"]);
        var variable = notify.RequiredString("webhook-from-env", "DEPLOY_WEBHOOK");
        return VariablePattern().IsMatch(variable)
            ? new NotifySettings(variable)
            : throw notify.Error(notify.Find("webhook-from-env")!, "webhook-from-env",
                "'notify.webhook-from-env' is not an environment variable name; use letters, digits and '_', such as DEPLOY_WEBHOOK (the URL itself never goes in the file).");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();
}
