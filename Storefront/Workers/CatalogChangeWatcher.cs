using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Evicts every cached page when prices, stock or promotions change without the shop being told: edited in the database
/// by an operator, or a promotion starting or ending on time. The shop's own writes evict by tag at once; this is the
/// catch-all, one cheap query per <see cref="PageCacheOptions.ChangePollInterval"/> (row versions and counts).
/// </summary>
public sealed class CatalogChangeWatcher(IServiceScopeFactory scopeFactory, PageCache pageCache, IOptions<PageCacheOptions> options,
    ILogger<CatalogChangeWatcher> logger) : BackgroundService
{
    // xmin is the transaction that wrote a row version: any insert or update raises the maximum, a delete lowers the count.
    private const string StampSql = """
        SELECT concat_ws(':',
            (SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM storefront."Products"),
            (SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM storefront."Promotions"),
            (SELECT count(*) FROM storefront."Promotions" WHERE "StartsAt" <= now() AND "EndsAt" > now())) AS "Value"
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        string? last = null;
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval);
        do
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
                var stamp = await db.Database.SqlQueryRaw<string>(StampSql).SingleAsync(stoppingToken);
                if (last is not null && stamp != last)
                {
                    logger.LogDebug("Catalog changed ({Before} -> {After}); evicting cached pages", last, stamp);
                    await pageCache.EverythingChangedAsync(stoppingToken);
                }

                last = stamp;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be starting or migrating; pages still expire on their own meanwhile.
                logger.LogDebug(e, "Catalog change check failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
