using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EcomGo.ServiceDefaults.Data;

/// <summary>
/// Each service migrates its own schema at start-up (and optionally seeds it) before it starts listening,
/// so its health endpoint turns healthy only once its tables exist.
/// </summary>
public static class MigrateDbContextExtensions
{
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed = null)
        where TContext : DbContext
    {
        services.AddHostedService(sp => new MigrationHostedService<TContext>(sp, seed));
        return services;
    }

    private sealed class MigrationHostedService<TContext>(
        IServiceProvider services,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed) : IHostedService
        where TContext : DbContext
    {
        private static readonly ActivitySource s_activitySource = new("EcomGo.Migrations");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var scope = services.CreateScope();
            var provider = scope.ServiceProvider;
            var logger = provider.GetRequiredService<ILogger<TContext>>();
            var context = provider.GetRequiredService<TContext>();
            using var activity = s_activitySource.StartActivity($"Migrate {typeof(TContext).Name}");

            var stopwatch = Stopwatch.StartNew();
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to {Context}: {Migrations}", pending.Count, typeof(TContext).Name, pending);
                await context.Database.MigrateAsync(cancellationToken);
            }

            if (seed is not null)
            {
                await seed(context, provider, cancellationToken);
            }

            logger.LogInformation("{Context} ready in {Elapsed} ms", typeof(TContext).Name, stopwatch.ElapsedMilliseconds);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
