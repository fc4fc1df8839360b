namespace EcomGo.AppHost.Commands;

/// <summary>Names of the storefront resource's dashboard commands (tests execute them by name).</summary>
public static class StorefrontCommands
{
    /// <summary>"Send digests now": POST /api/emails/digests/send with the service key.</summary>
    public const string SendDigests = "send-digests";
}
