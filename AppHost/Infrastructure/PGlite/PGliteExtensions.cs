using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EcomGo.AppHost.Infrastructure.PGlite;

public static class PGliteExtensions
{
    /// <summary>
    /// Adds a PGlite server started with <c>node server.mjs</c>. The script installs its pinned npm packages on
    /// first start, so a fresh clone needs no manual step. Data persists in <paramref name="dataDirectory"/>.
    /// </summary>
    public static IResourceBuilder<PGliteServerResource> AddPGlite(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        // Run from the source folder so node_modules is installed once per clone, not per build output.
        var scriptDirectory = Path.Combine(builder.AppHostDirectory, "Infrastructure", "PGlite", "server");
        var server = new PGliteServerResource(name, scriptDirectory);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString!, name: healthCheckKey);

        return builder.AddResource(server)
            .WithArgs("server.mjs")
            .WithEndpoint(name: PGliteServerResource.EndpointName, scheme: "tcp", env: "PGLITE_PORT")
            .WithEnvironment("PGLITE_HOST", "127.0.0.1")
            .WithEnvironment("PGLITE_DATA_DIR", Path.GetFullPath(dataDirectory))
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<PGliteDatabaseResource> AddDatabase(this IResourceBuilder<PGliteServerResource> server, string name)
    {
        var database = new PGliteDatabaseResource(name, server.Resource);

        string? connectionString = null;
        server.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(_ => connectionString!, name: healthCheckKey);

        // Aspire propagates state only to children of containers: mirror the server's readiness ourselves.
        server.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.PublishUpdateAsync(database, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });

        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PGliteDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("database", "postgres"), new("server", server.Resource.Name), new("postgres.version", PGliteServerResource.PostgresMajorVersion)],
            })
            .WithHealthCheck(healthCheckKey);
    }
}
