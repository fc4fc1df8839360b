namespace EcomGo.AppHost.Infrastructure;

/// <summary>
/// One secret per run that the services' service-only APIs require (checked by ServiceDefaults' ServiceAuthentication).
/// Generated, never written to a file; shoppers never see it.
/// </summary>
public static class ServiceKey
{
    public const string ParameterName = "service-key";

    public static IResourceBuilder<ParameterResource> AddServiceKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(ParameterName, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true);

    public static IResourceBuilder<ProjectResource> WithServiceKey(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> key) =>
        service.WithEnvironment("ServiceAuth__Key", key);
}
