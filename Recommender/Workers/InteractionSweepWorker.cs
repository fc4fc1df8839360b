using EcomGo.Recommender.Data;
using EcomGo.Recommender.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Recommender.Workers;

/// <summary>
/// Backfill and safety net for the events: pages through the Storefront's interaction feed from a cursor saved per page
/// (the seeded history and anything published before this consumer group existed never arrive as events; an event
/// lost in transit is recovered here). Every shopper whose history changed gets their profile rebuilt.
/// </summary>
public sealed class InteractionSweepWorker(
    IServiceScopeFactory scopeFactory,
    IOptions<RecommenderOptions> options,
    RecommenderTelemetry telemetry,
    TimeProvider time,
    ILogger<InteractionSweepWorker> logger) : BackgroundService
{
    public const string CursorName = "interactions";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var lastFullSweep = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = settings.InteractionSweepInterval;
            try
            {
                if (time.GetUtcNow() - lastFullSweep >= settings.FullInteractionSweepInterval)
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    await SaveCursorAsync(scope.ServiceProvider.GetRequiredService<RecommenderDbContext>(), 0, stoppingToken);
                    lastFullSweep = time.GetUtcNow();
                }

                await SweepAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Interaction sweep failed: {Message}; retrying in {Delay}", e.Message, settings.RetryDelay);
                delay = settings.RetryDelay;
            }

            await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task SweepAsync(RecommenderOptions settings, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("sweep interaction feed");
        var stored = 0;
        while (true)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<RecommenderDbContext>();
            var cursor = await db.SyncCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => (long?)c.Position).FirstOrDefaultAsync(cancellationToken) ?? 0;
            var page = await services.GetRequiredService<StorefrontInteractionFeed>().GetPageAsync(cursor, settings.InteractionPageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var changed = await services.GetRequiredService<InteractionStore>().StoreAsync(page, "sweep", cancellationToken);
            var profiles = services.GetRequiredService<ShopperProfileBuilder>();
            foreach (var shopperKey in changed)
            {
                await profiles.RebuildAsync(shopperKey, cancellationToken);
            }

            stored += changed.Count;
            await SaveCursorAsync(db, page.Max(i => i.Id), cancellationToken);
            if (page.Count < settings.InteractionPageSize)
            {
                break;
            }
        }

        activity?.SetTag("ecomgo.sweep.shoppers_changed", stored);
    }

    private async Task SaveCursorAsync(RecommenderDbContext db, long position, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO recs."SyncCursors" ("Name", "Position", "UpdatedAt") VALUES (@name, @position, @now)
            ON CONFLICT ("Name") DO UPDATE SET "Position" = excluded."Position", "UpdatedAt" = excluded."UpdatedAt"
            """,
            [new Npgsql.NpgsqlParameter("name", CursorName), new Npgsql.NpgsqlParameter("position", position), new Npgsql.NpgsqlParameter("now", time.GetUtcNow())],
            cancellationToken);
}
