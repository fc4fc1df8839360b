using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Workers;

/// <summary>
/// Writes the buffered product views in batches: one transaction per batch for the interactions and their outbox
/// events. While the database is down the batch in hand is retried (the buffer keeps filling up to its bound).
/// On shutdown what is buffered is written once more before the host stops.
/// </summary>
public sealed class ProductViewWriter(
    ProductViewBuffer buffer, IServiceScopeFactory scopeFactory, OutboxSignal<StorefrontDbContext> outboxSignal, IOptions<ProductViewOptions> options,
    TimeProvider time, ILogger<ProductViewWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var reader = buffer.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Gather for a moment so a burst of page views becomes one write.
                await Task.Delay(settings.FlushInterval, time, stoppingToken);
                while (Take(settings.BatchSize) is { Count: > 0 } batch)
                {
                    await WriteWithRetryAsync(batch, settings.RetryDelay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: write what is left, once.
        buffer.Complete();
        while (Take(settings.BatchSize) is { Count: > 0 } rest)
        {
            try
            {
                await WriteAsync(rest, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning("Dropped {Count} product views at shutdown: {Error}", rest.Count, e.Message);
                break;
            }
        }
    }

    private List<Interaction> Take(int max)
    {
        var batch = new List<Interaction>();
        while (batch.Count < max && buffer.Reader.TryRead(out var view))
        {
            batch.Add(view);
        }

        return batch;
    }

    private async Task WriteWithRetryAsync(List<Interaction> batch, TimeSpan retryDelay, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(batch, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == 1)
                {
                    logger.LogWarning("Could not write {Count} product views ({Error}); retrying", batch.Count, e.Message);
                }

                await Task.Delay(retryDelay, time, stoppingToken);
            }
        }
    }

    private async Task WriteAsync(List<Interaction> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
        var now = time.GetUtcNow();
        await db.InTransactionAsync(async ct =>
        {
            // A product deleted since it was viewed must not fail the whole batch.
            var productIds = batch.Select(v => v.ProductId).Distinct().ToList();
            var known = (await db.Products.Where(p => productIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
            // Fresh entities per attempt: a failed attempt may have assigned ids.
            List<Interaction> rows = [.. batch.Where(v => known.Contains(v.ProductId)).Select(v => new Interaction
            {
                UserId = v.UserId, SessionId = v.SessionId, ProductId = v.ProductId, Kind = v.Kind, Value = v.Value, OccurredAt = v.OccurredAt,
            })];
            await db.SaveInteractionsWithEventsAsync(rows, now, ct);
            return true;
        }, cancellationToken);
        outboxSignal.Notify();
    }
}
