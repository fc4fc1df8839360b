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

    /// <summary>A dashboard command that calls one of the service's service-only endpoints with the key.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceCommand(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ParameterResource> key, string path, string displayName, string commandName, string description) =>
        service.WithHttpCommand(path, displayName, commandName: commandName, commandOptions: new HttpCommandOptions
        {
            Description = description,
            ResultMode = HttpCommandResultMode.Json,
            PrepareRequest = async context => context.Request.Headers.Authorization =
                new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await key.Resource.GetValueAsync(context.CancellationToken)),
        });

    /// <summary>"Replay dead letters": parked events of the service's consumer groups go back to their queues.</summary>
    public static IResourceBuilder<ProjectResource> WithDeadLetterReplay(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> key) =>
        service.WithServiceCommand(key, "/api/events/dead-letters/replay", "Replay dead letters", "replay-dead-letters",
            "Move events that failed too often back to their queues (see the ecomgo.events.dead_letters metric).");
}
