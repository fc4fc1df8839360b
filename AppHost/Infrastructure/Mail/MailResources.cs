namespace EcomGo.AppHost.Infrastructure.Mail;

/// <summary>
/// The mail catcher (smtp4dev) the Storefront sends its emails to: an SMTP endpoint and a web inbox with an HTTP API.
/// Its connection string is <c>Endpoint=smtp://host:port</c>; nothing it receives leaves the machine.
/// </summary>
public interface IMailServerResource : IResourceWithConnectionString, IResourceWithEndpoints
{
    const string SmtpEndpointName = "smtp";
    const string InboxEndpointName = "http";

    EndpointReference SmtpEndpoint { get; }

    ReferenceExpression IResourceWithConnectionString.ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint=smtp://{SmtpEndpoint.Property(EndpointProperty.Host)}:{SmtpEndpoint.Property(EndpointProperty.Port)}");
}

/// <summary>Local mode: smtp4dev run from its tool package (fetched at restore, like Garnet) as a separate process.</summary>
public sealed class Smtp4devResource(string name, string workingDirectory)
    : ExecutableResource(name, "dotnet", workingDirectory), IMailServerResource
{
    public EndpointReference SmtpEndpoint => field ??= new(this, IMailServerResource.SmtpEndpointName);
}

/// <summary>Containers mode: the same server from its pinned image.</summary>
public sealed class Smtp4devContainerResource(string name) : ContainerResource(name), IMailServerResource
{
    public EndpointReference SmtpEndpoint => field ??= new(this, IMailServerResource.SmtpEndpointName);
}
