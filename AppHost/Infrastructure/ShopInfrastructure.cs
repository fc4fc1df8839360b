using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using EcomGo.AppHost.Infrastructure.Garnet;
using EcomGo.AppHost.Infrastructure.Mail;
using EcomGo.AppHost.Infrastructure.PGlite;
using EcomGo.AppHost.Ollama;

namespace EcomGo.AppHost.Infrastructure;

/// <summary>The shared infrastructure every service references, whichever mode provided it.</summary>
public sealed record ShopInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> ShopDb,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IOllamaServerResource> Ollama,
    IResourceBuilder<OllamaModelResource> ChatModel,
    IResourceBuilder<OllamaModelResource> FastModel,
    IResourceBuilder<OllamaModelResource> EmbeddingModel,
    IResourceBuilder<IMailServerResource> Mail);

public static class ShopInfrastructureExtensions
{
    public static ShopInfrastructure AddShopInfrastructure(this IDistributedApplicationBuilder builder, ILogger logger)
    {
        var configuration = builder.Configuration;
        // Publishing describes a deployment, not this machine: no container-runtime or Ollama probes.
        var mode = InfrastructureModeResolver.Resolve(configuration, logger, builder.ExecutionContext.IsPublishMode);
        var dataDirectory = ResolveDataDirectory(builder);

        IResourceBuilder<IResourceWithConnectionString> shopDb, cache;
        IResourceBuilder<IMailServerResource> mail;
        if (mode == InfrastructureMode.Containers)
        {
            var postgres = builder.AddPostgres("postgres")
                .WithImage(ShopPostgres.PgvectorImage, ShopPostgres.PgvectorTag)
                .WithVolume("ecomgo-postgres-data", ShopPostgres.DataVolumePath);
            shopDb = postgres.AddDatabase("shopdb");
            cache = builder.AddRedis("cache").WithDataVolume("ecomgo-redis-data");
            mail = builder.AddSmtp4devContainer("mail");
        }
        else
        {
            shopDb = builder.AddPGlite("postgres", Path.Combine(dataDirectory, "pglite")).AddDatabase("shopdb");
            cache = builder.AddGarnet("cache", Path.Combine(dataDirectory, "garnet"));
            mail = builder.AddSmtp4dev("mail", Path.Combine(dataDirectory, "smtp4dev"));
        }

        var ollama = AddOllamaServer(builder, mode, logger);
        var models = configuration.GetSection("Ollama:Models");
        return new ShopInfrastructure(
            mode, shopDb, cache, ollama,
            ollama.AddModel("chat", models["Chat"] ?? "llama3.1:8b"),
            ollama.AddModel("fast", models["Fast"] ?? "llama3.2:1b"),
            ollama.AddModel("embedding", models["Embedding"] ?? "all-minilm"),
            mail);
    }

    /// <summary>Every service keeps its schema in <c>shopdb</c> and talks over the <c>cache</c>: reference and wait for both.</summary>
    public static IResourceBuilder<ProjectResource> WithShopData(this IResourceBuilder<ProjectResource> service, ShopInfrastructure infrastructure) =>
        service
            .WithReference(infrastructure.ShopDb).WaitFor(infrastructure.ShopDb)
            .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache);

    /// <summary>References a model and, when an Ollama exists, waits for its download; without one the service runs its no-LLM mode.</summary>
    public static IResourceBuilder<T> WithModel<T>(this IResourceBuilder<T> service, IResourceBuilder<OllamaModelResource> model)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        service.WithReference(model);
        return model.Resource.Parent.IsAvailable ? service.WaitFor(model) : service;
    }

    private static IResourceBuilder<IOllamaServerResource> AddOllamaServer(
        IDistributedApplicationBuilder builder, InfrastructureMode mode, ILogger logger)
    {
        var configuredEndpoint = builder.Configuration["Ollama:Endpoint"];
        if (!string.IsNullOrWhiteSpace(configuredEndpoint))
        {
            if (!Uri.TryCreate(configuredEndpoint, UriKind.Absolute, out var endpoint))
            {
                throw new InvalidOperationException($"Ollama:Endpoint '{configuredEndpoint}' is not an absolute URL.");
            }

            logger.LogInformation("Using the Ollama server configured at {Endpoint}.", endpoint);
            return builder.AddOllamaEndpoint("ollama", endpoint);
        }

        if (mode == InfrastructureMode.Containers)
        {
            var container = builder.AddOllama("ollama").WithDataVolume("ecomgo-ollama-data");
            if (builder.Configuration.GetValue<bool>("Ollama:Gpu"))
            {
                container.WithGpuSupport();
            }

            return container;
        }

        // An Ollama installed as a system service already listens on the default port: reuse it and its models.
        var defaultEndpoint = new Uri("http://localhost:11434");
        if (OllamaProbe.IsServing(defaultEndpoint, TimeSpan.FromSeconds(1)))
        {
            logger.LogInformation("Found a running Ollama at {Endpoint}; using it.", defaultEndpoint);
            return builder.AddOllamaEndpoint("ollama", defaultEndpoint);
        }

        var ollamaPath = FindOnPath("ollama");
        if (ollamaPath is not null)
        {
            logger.LogInformation("Starting 'ollama serve' from {Path}.", ollamaPath);
            return builder.AddOllamaExecutable("ollama", ollamaPath);
        }

        const string reason = "No Ollama found: set Ollama:Endpoint, run an Ollama on localhost:11434 or put 'ollama' on PATH. " +
                              "LLM features are off; embeddings use the in-process all-MiniLM-L6-v2 model.";
        logger.LogWarning("{Reason}", reason);
        return builder.AddOllamaUnavailable("ollama", reason);
    }

    private static string ResolveDataDirectory(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Infrastructure:DataDirectory"];
        return string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"))
            : Path.GetFullPath(configured);
    }

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
}

internal static class OllamaProbe
{
    public static bool IsServing(Uri endpoint, TimeSpan timeout)
    {
        try
        {
            using var http = new HttpClient { Timeout = timeout };
            return http.GetAsync(new Uri(endpoint, "/api/version")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
