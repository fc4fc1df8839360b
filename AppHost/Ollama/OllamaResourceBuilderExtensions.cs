using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EcomGo.AppHost.Ollama;

/// <summary>
/// Our own small Ollama hosting integration (the CommunityToolkit one is not available from our feed).
/// Four ways to get a server (container, local binary, existing URL, none) and models as child resources.
/// </summary>
public static class OllamaResourceBuilderExtensions
{
    internal const string Registry = "docker.io";
    internal const string Image = "ollama/ollama";
    internal const string Tag = "0.13.0"; // pinned: "latest" would change under us between runs
    internal const int OllamaPort = 11434;

    /// <summary>Ollama in a container (needs a container runtime), http endpoint "http" on container port 11434.</summary>
    public static IResourceBuilder<OllamaContainerResource> AddOllama(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new OllamaContainerResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(port: port, targetPort: OllamaPort, name: OllamaContainerResource.HttpEndpointName)
            .WithHttpHealthCheck("/api/version", endpointName: OllamaContainerResource.HttpEndpointName);
    }

    /// <summary>Keeps pulled models in a named volume (/root/.ollama) so they survive container restarts.</summary>
    public static IResourceBuilder<OllamaContainerResource> WithDataVolume(this IResourceBuilder<OllamaContainerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), "/root/.ollama");
    }

    /// <summary>Opt-in: passes <c>--gpus all</c> to the container runtime (NVIDIA container toolkit required).</summary>
    public static IResourceBuilder<OllamaContainerResource> WithGpuSupport(this IResourceBuilder<OllamaContainerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithContainerRuntimeArgs("--gpus", "all");
    }

    /// <summary>
    /// Runs <c>ollama serve</c> from a local binary. The endpoint is proxied by DCP; Ollama listens on the target port
    /// DCP picks, told through OLLAMA_HOST. <paramref name="modelsDirectory"/> becomes OLLAMA_MODELS.
    /// </summary>
    public static IResourceBuilder<OllamaExecutableResource> AddOllamaExecutable(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string ollamaPath, string? modelsDirectory = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(ollamaPath);

        var resource = new OllamaExecutableResource(name, ollamaPath, builder.AppHostDirectory);
        var result = builder.AddResource(resource)
            .WithArgs("serve")
            .WithHttpEndpoint(port: port, name: OllamaExecutableResource.HttpEndpointName)
            .WithEnvironment(context =>
            {
                // 127.0.0.1, not 0.0.0.0: only the DCP proxy on this machine needs to reach it.
                context.EnvironmentVariables["OLLAMA_HOST"] =
                    ReferenceExpression.Create($"127.0.0.1:{resource.HttpEndpoint.Property(EndpointProperty.TargetPort)}");
            })
            .WithHttpHealthCheck("/api/version", endpointName: OllamaExecutableResource.HttpEndpointName);

        if (!string.IsNullOrWhiteSpace(modelsDirectory))
        {
            var fullPath = Path.GetFullPath(modelsDirectory, builder.AppHostDirectory);
            Directory.CreateDirectory(fullPath); // ollama refuses to start when OLLAMA_MODELS does not exist
            result.WithEnvironment("OLLAMA_MODELS", fullPath);
        }

        return result;
    }

    /// <summary>
    /// An Ollama server that already runs at <paramref name="endpoint"/>. Shows "Waiting for &lt;url&gt;" until
    /// <c>GET /api/version</c> answers, then Running; a health check keeps watching /api/version.
    /// </summary>
    public static IResourceBuilder<OllamaEndpointResource> AddOllamaEndpoint(this IDistributedApplicationBuilder builder, [ResourceName] string name, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var resource = new OllamaEndpointResource(name, endpoint);

        var healthCheckKey = $"{name}_ollama_version";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new OllamaServerHealthCheck(resource.Endpoint), failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithUrl(resource.BaseUrl, "Ollama")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Ollama",
                State = new ResourceStateSnapshot($"Waiting for {resource.BaseUrl}", KnownResourceStateStyles.Info),
                Properties = [new("ollama.endpoint", resource.BaseUrl) { DisplayName = "Endpoint" }],
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest()
            .OnInitializeResource((r, e, ct) =>
            {
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = OllamaLifecycle.WaitForEndpointAsync(r, e.Notifications, e.Logger, stopping);
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// No Ollama at all: a placeholder whose state reads "Not available" (with <paramref name="reason"/> as a property
    /// and in its log). It never becomes Running, so do not <c>WaitFor</c> it or its models.
    /// </summary>
    public static IResourceBuilder<OllamaUnavailableResource> AddOllamaUnavailable(this IDistributedApplicationBuilder builder, [ResourceName] string name, string reason)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new OllamaUnavailableResource(name, reason))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Ollama",
                State = new ResourceStateSnapshot(OllamaLifecycle.NotAvailable, KnownResourceStateStyles.Warn),
                Properties = [new("ollama.reason", reason) { DisplayName = "Reason", IsHighlighted = true }],
            })
            .ExcludeFromManifest()
            .OnInitializeResource((r, e, ct) =>
            {
                e.Logger.LogWarning("Ollama is not available: {Reason}", r.Reason);
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// Adds a model of <paramref name="server"/>: pulled when the server lacks it, Running and healthy once
    /// <c>/api/show</c> finds it. Connection string "Endpoint={server url};Model={modelName}" ("Model={modelName}"
    /// for an unavailable server, whose models only show "Not available").
    /// </summary>
    public static IResourceBuilder<OllamaModelResource> AddModel<T>(this IResourceBuilder<T> server, [ResourceName] string name, string modelName)
        where T : IOllamaServerResource
    {
        ArgumentNullException.ThrowIfNull(server);
        var model = new OllamaModelResource(name, modelName, server.Resource);
        var builder = server.ApplicationBuilder;
        var modelProperty = new ResourcePropertySnapshot("ollama.model", modelName) { DisplayName = "Model", IsHighlighted = true };

        if (!server.Resource.IsAvailable)
        {
            var reason = server.Resource is OllamaUnavailableResource u ? u.Reason : "no Ollama server";
            return builder.AddResource(model)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "OllamaModel",
                    State = new ResourceStateSnapshot(OllamaLifecycle.NotAvailable, KnownResourceStateStyles.Warn),
                    Properties = [modelProperty, new("ollama.reason", reason) { DisplayName = "Reason" }],
                })
                .OnInitializeResource((m, e, ct) => OllamaLifecycle.PublishConnectionStringAsync(m, e, ct));
        }

        var healthCheckKey = $"{name}_ollama_model";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new OllamaModelHealthCheck(model), failureStatus: null, tags: null));

        return builder.AddResource(model)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "OllamaModel",
                State = new ResourceStateSnapshot($"Waiting for {server.Resource.Name}", KnownResourceStateStyles.Info),
                Properties = [modelProperty],
            })
            .WithHealthCheck(healthCheckKey)
            .OnInitializeResource(async (m, e, ct) =>
            {
                await OllamaLifecycle.PublishConnectionStringAsync(m, e, ct).ConfigureAwait(false);
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = new OllamaModelLifecycle(m, healthCheckKey, e.Notifications, e.Logger).RunAsync(stopping);
            });
    }

    internal static ImmutableArray<ResourcePropertySnapshot> SetProperty(this ImmutableArray<ResourcePropertySnapshot> properties, ResourcePropertySnapshot property) =>
        [.. properties.Where(p => p.Name != property.Name), property];
}
