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
            // Replicas of a service start together and can race to apply the same migration: the loser's attempt fails
            // ("already exists") and rolls back, and once the winner has committed a second look finds nothing pending.
            for (var attempt = 1; ; attempt++)
            {
                var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count == 0)
                {
                    break;
                }

                try
                {
                    logger.LogInformation("Applying {Count} migration(s) to {Context}: {Migrations}", pending.Count, typeof(TContext).Name, pending);
                    await context.Database.MigrateAsync(cancellationToken);
                    break;
                }
                catch (Exception e) when (attempt < 5 && e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Migrating {Context} failed (attempt {Attempt}); another instance may be applying it: retrying",
                        typeof(TContext).Name, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(2 * attempt), cancellationToken);
                }
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
