using System.Reflection;

namespace EcomGo.AppHost.Infrastructure.Mail;

public static class MailExtensions
{
    /// <summary>The image of the same smtp4dev release the local mode runs (AppHost.csproj's Smtp4devVersion).</summary>
    public const string ContainerImage = "rnwood/smtp4dev";
    public const string ContainerTag = "3.15.0";

    /// <summary>
    /// Recipients in this domain are refused with a permanent (5xx) error, so the shop's handling of a bad address can be
    /// seen locally (the catcher accepts every other address).
    /// </summary>
    public const string RejectedDomain = "bounce.ecomgo.local";

    private const int MessagesToKeep = 5000;

    /// <summary>Local mode: smtp4dev from its tool package; its inbox (SQLite) lives in <paramref name="dataDirectory"/>.</summary>
    public static IResourceBuilder<IMailServerResource> AddSmtp4dev(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var packageDirectory = typeof(MailExtensions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Smtp4devPackageDirectory").Value!;
        // The tool package holds tools/<tfm>/<rid>/Rnwood.Smtp4dev.dll; find it rather than hard-coding the layout.
        var serverDll = Directory.Exists(packageDirectory)
            ? Directory.EnumerateFiles(Path.Combine(packageDirectory, "tools"), "Rnwood.Smtp4dev.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        if (serverDll is null)
        {
            throw new FileNotFoundException(
                $"smtp4dev not found under '{packageDirectory}'. Run 'dotnet restore' for the AppHost to download the Rnwood.Smtp4dev package.");
        }

        var dataPath = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataPath);
        var mail = new Smtp4devResource(name, Path.GetDirectoryName(serverDll)!);
        var resource = builder.AddResource(mail)
            .WithEndpoint(name: IMailServerResource.SmtpEndpointName, scheme: "tcp")
            .WithHttpEndpoint(name: IMailServerResource.InboxEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add(serverDll);
                context.Args.Add($"--baseappdatapath={dataPath}");
                context.Args.Add("--nousersettings");
                context.Args.Add("--allowremoteconnections-");
                context.Args.Add("--hostname=localhost");
                context.Args.Add(ReferenceExpression.Create($"--smtpport={mail.SmtpEndpoint.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add(ReferenceExpression.Create($"--urls=http://localhost:{mail.GetEndpoint(IMailServerResource.InboxEndpointName).Property(EndpointProperty.TargetPort)}"));
                // Only SMTP and the web inbox: no IMAP/POP3 ports to collide with anything.
                context.Args.Add("--imapport=");
                context.Args.Add("--pop3port=");
                context.Args.Add($"--messagestokeep={MessagesToKeep}");
            });
        return Configure(resource);
    }

    /// <summary>Containers mode: the pinned smtp4dev image, its inbox in a volume.</summary>
    public static IResourceBuilder<IMailServerResource> AddSmtp4devContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var resource = builder.AddResource(new Smtp4devContainerResource(name))
            .WithImage(ContainerImage, ContainerTag)
            .WithImageRegistry("docker.io")
            .WithEndpoint(targetPort: 25, name: IMailServerResource.SmtpEndpointName, scheme: "tcp")
            .WithHttpEndpoint(targetPort: 80, name: IMailServerResource.InboxEndpointName)
            .WithVolume("ecomgo-mail-data", "/smtp4dev")
            .WithEnvironment("ServerOptions__NumberOfMessagesToKeep", MessagesToKeep.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Configure(resource);
    }

    private static IResourceBuilder<IMailServerResource> Configure<T>(IResourceBuilder<T> resource) where T : IMailServerResource, IResourceWithEnvironment
    {
        resource
            .WithEnvironment("ServerOptions__RecipientValidationExpression", $"!recipient.toLowerCase().endsWith('@{RejectedDomain}')")
            .WithUrlForEndpoint(IMailServerResource.InboxEndpointName, url => url.DisplayText = "Inbox (smtp4dev)")
            .WithUrlForEndpoint(IMailServerResource.SmtpEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithHttpHealthCheck("/", endpointName: IMailServerResource.InboxEndpointName);
        return (IResourceBuilder<IMailServerResource>)(object)resource;
    }
}
