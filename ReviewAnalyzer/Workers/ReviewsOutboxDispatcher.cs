using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EcomGo.ReviewAnalyzer.Workers;

/// <summary>
/// Publishes the ReviewAnalyzer's outbox rows to Redis in id order, then stamps them sent (the Storefront's
/// OutboxDispatcher pattern). Publishing is idempotent by row id, so a crash between publishing and stamping re-sends
/// nothing twice. Before its first publish it declares the Storefront's consumer group for the events it publishes, so
/// results published before the Storefront's consumers first start are queued for them, not lost.
/// While Redis is down rows stay in the table: back off and retry.
/// </summary>
public sealed class ReviewsOutboxDispatcher(
    IServiceScopeFactory scopeFactory, RedisEventBus bus, ReviewsOutboxSignal signal, ReviewAnalyzerTelemetry telemetry,
    TimeProvider time, ILogger<ReviewsOutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = s_pollInterval;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var found = await DispatchBatchAsync(stoppingToken);
                if (failing)
                {
                    logger.LogInformation("Outbox dispatch recovered");
                    failing = false;
                }

                backoff = s_pollInterval;
                if (found < BatchSize)
                {
                    await signal.WaitAsync(s_pollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    logger.LogWarning("Outbox dispatch failed ({Error}); events stay queued and will be retried", e.Message);
                    failing = true;
                }

                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
        }
    }

    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewsDbContext>();
        var batch = await db.Outbox.AsNoTracking().Where(m => m.SentAt == null).OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            telemetry.SetOutboxPending(0);
            return 0;
        }

        var sent = new List<long>(batch.Count);
        try
        {
            foreach (var message in batch)
            {
                try
                {
                    await bus.PublishAsync(message.EventId.ToString(), message.EventType, message.CreatedAt, message.Payload);
                    sent.Add(message.Id);
                }
                catch (System.Text.Json.JsonException e)
                {
                    logger.LogError(e, "Outbox message {Id} ({EventType}) has an invalid payload; skipped", message.Id, message.EventType);
                    await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.LastError, "Invalid JSON payload")
                        .SetProperty(m => m.SentAt, time.GetUtcNow()), CancellationToken.None);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        .SetProperty(m => m.LastError, e.Message.Length <= 1000 ? e.Message : e.Message[..1000]), CancellationToken.None);
                    throw;
                }
            }
        }
        finally
        {
            // Stamp what went out even when the batch stopped half-way (not cancellable: it must not be lost).
            if (sent.Count > 0)
            {
                var now = time.GetUtcNow();
                await db.Outbox.Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now), CancellationToken.None);
            }

            telemetry.SetOutboxPending(batch.Count < BatchSize
                ? batch.Count - sent.Count
                : await db.Outbox.CountAsync(m => m.SentAt == null, CancellationToken.None));
        }

        return batch.Count;
    }
}
