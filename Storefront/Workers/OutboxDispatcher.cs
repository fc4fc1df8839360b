using System.Diagnostics.Metrics;
using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EcomGo.Storefront.Workers;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    public int BatchSize { get; set; } = 100;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Outbox metrics on the "EcomGo.Storefront" meter (ServiceDefaults exports every EcomGo.* meter).</summary>
public sealed class StorefrontMetrics
{
    public const string MeterName = "EcomGo.Storefront";
    private readonly Counter<long> _published;
    private long _pending;

    public StorefrontMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("ecomgo.outbox.published", "{event}", "Outbox events published to Redis");
        meter.CreateObservableGauge("ecomgo.outbox.pending", () => Interlocked.Read(ref _pending), "{event}", "Outbox events not yet published");
    }

    public void Published(string eventType) => _published.Add(1, new KeyValuePair<string, object?>("event.type", eventType));

    public void SetPending(long pending) => Interlocked.Exchange(ref _pending, pending);
}

/// <summary>
/// Publishes outbox rows to Redis in id order, then stamps them sent. Publishing is idempotent by the row's event id
/// (<see cref="RedisEventBus.PublishAsync"/> skips an id it has already pushed), so a crash between publishing
/// and stamping re-sends nothing twice. While Redis is down rows simply stay in the table: back off and retry.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopeFactory, RedisEventBus bus, OutboxSignal signal, StorefrontMetrics metrics,
    IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = settings.PollInterval;
        var failing = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (found, _) = await DispatchBatchAsync(settings.BatchSize, stoppingToken);
                if (failing)
                {
                    logger.LogInformation("Outbox dispatch recovered");
                    failing = false;
                }

                backoff = settings.PollInterval;
                if (found < settings.BatchSize)
                {
                    // Caught up: sleep until the next poll or until a request writes an event.
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Anything else would stop the host; keep the rows and retry. Warn once per outage, not on every retry.
                if (!failing)
                {
                    logger.LogWarning("Outbox dispatch failed ({Error}); events stay queued and will be retried", e.Message);
                    failing = true;
                }

                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
            }
        }
    }

    private async Task<(int Found, int Published)> DispatchBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorefrontDbContext>();
        var batch = await db.Outbox.AsNoTracking()
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            metrics.SetPending(0);
            return (0, 0);
        }

        var sent = new List<long>(batch.Count);
        var published = 0;
        try
        {
            foreach (var message in batch)
            {
                try
                {
                    // False: an earlier attempt already pushed this id (we crashed before stamping it) - just stamp it now.
                    if (await bus.PublishAsync(message.EventId.ToString(), message.EventType,
                            message.CreatedAt, message.Payload))
                    {
                        published++;
                        metrics.Published(message.EventType);
                    }

                    sent.Add(message.Id);
                }
                catch (System.Text.Json.JsonException e)
                {
                    // A payload that is not JSON can never be published; stamp it so it does not block the rest, and say so loudly.
                    logger.LogError(e, "Outbox message {Id} ({EventType}) has an invalid payload; skipped", message.Id, message.EventType);
                    await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.LastError, "Invalid JSON payload")
                        .SetProperty(m => m.SentAt, time.GetUtcNow()), CancellationToken.None);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        .SetProperty(m => m.LastError, Truncate(e.Message)), CancellationToken.None);
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
                await db.Outbox.Where(m => sent.Contains(m.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now), CancellationToken.None);
            }

            metrics.SetPending(batch.Count < batchSize
                ? batch.Count - sent.Count
                : await db.Outbox.CountAsync(m => m.SentAt == null, CancellationToken.None));
        }

        return (batch.Count, published);
    }

    private static string Truncate(string value) => value.Length <= 1000 ? value : value[..1000];
}
