using EcomGo.Recommender.Data;
using EcomGo.Recommender.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Recommender.Workers;

/// <summary>
/// Keeps the product vectors in step with the Storefront's catalog: a pass pages through the catalog feed in id order,
/// embedding new and changed products page by page (saved per batch) and refreshing stock and names of the rest. It runs
/// at start-up without holding up the health endpoint (which reports "degraded" until the first pass completes) and then
/// every <see cref="RecommenderOptions.IndexInterval"/>. The cursor is saved per page, so a pass cut short by a restart
/// resumes where it stopped. After a pass that changed vectors (new products, a new model) every profile is rebuilt.
/// </summary>
public sealed class ProductIndexWorker(
    IServiceScopeFactory scopeFactory,
    ProductIndexProgress progress,
    IOptions<RecommenderOptions> options,
    RecommenderTelemetry telemetry,
    TimeProvider time,
    ILogger<ProductIndexWorker> logger) : BackgroundService
{
    public const string CursorName = "catalog";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up start-up
        var settings = options.Value;
        var profilesStale = true; // profiles are (re)built once after the first pass of each run
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = settings.IndexInterval;
            try
            {
                var embedded = await RunPassAsync(settings, stoppingToken);
                if (embedded > 0 || profilesStale)
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    var rebuilt = await scope.ServiceProvider.GetRequiredService<ShopperProfileBuilder>().RebuildAllAsync(stoppingToken);
                    logger.LogInformation("Rebuilt {Count} shopper profiles after indexing", rebuilt);
                    profilesStale = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Product indexing failed: {Message}; retrying in {Delay}", e.Message, settings.RetryDelay);
                progress.PassFailed(e.Message);
                delay = settings.RetryDelay;
            }

            await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass from the saved cursor to the end of the feed; returns how many products were embedded.</summary>
    private async Task<int> RunPassAsync(RecommenderOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<RecommenderDbContext>();
        var feed = services.GetRequiredService<StorefrontCatalogFeed>();
        var indexer = services.GetRequiredService<ProductIndexer>();
        using var activity = telemetry.ActivitySource.StartActivity("index catalog");

        var cursor = (int)(await db.SyncCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => (long?)c.Position).FirstOrDefaultAsync(cancellationToken) ?? 0);
        var fromStart = cursor == 0;
        var passStartedAt = time.GetUtcNow();
        var seen = 0;
        var embedded = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var page = await feed.GetPageAsync(cursor, settings.CatalogPageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            embedded += await indexer.IndexAsync(page, settings.EmbeddingBatchSize, cancellationToken);
            seen += page.Count;
            cursor = page.Max(p => p.Id);
            await SaveCursorAsync(db, cursor, cancellationToken);
            var indexed = await indexer.CountIndexedAsync(cancellationToken);
            progress.Progress(indexed, seen);
            if (embedded > 0)
            {
                logger.LogInformation("Indexing the catalog with {Model}: {Seen} products read, {Embedded} embedded, {Indexed} indexed",
                    indexer.ModelName, seen, embedded, indexed);
            }

            if (page.Count < settings.CatalogPageSize)
            {
                break;
            }
        }

        // Only a pass that saw the whole catalog may conclude that unseen products are gone.
        var removed = fromStart ? await indexer.RemoveUnseenAsync(passStartedAt, cancellationToken) : 0;
        await SaveCursorAsync(db, 0, cancellationToken);
        if (embedded > 0 || removed > 0)
        {
            // Fresh statistics for the planner (PGlite runs no autovacuum).
            await db.Database.ExecuteSqlRawAsync("""ANALYZE recs."ProductVectors" """, cancellationToken);
        }

        var total = await indexer.CountIndexedAsync(cancellationToken);
        progress.PassCompleted(total, fromStart ? seen : Math.Max(seen, total), embedded, time.GetUtcNow());
        activity?.SetTag("ecomgo.index.embedded", embedded);
        activity?.SetTag("ecomgo.index.removed", removed);
        if (embedded > 0 || removed > 0 || !fromStart)
        {
            logger.LogInformation(
                "Catalog index pass done in {Elapsed} ms with {Model}: {Embedded} embedded ({Rate:0} products/s), {Removed} removed, {Total} indexed",
                stopwatch.ElapsedMilliseconds, indexer.ModelName, embedded, embedded / Math.Max(0.001, stopwatch.Elapsed.TotalSeconds), removed, total);
        }

        return embedded;
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
