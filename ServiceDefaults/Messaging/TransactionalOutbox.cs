using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EcomGo.ServiceDefaults.Messaging;

// The transactional outbox, one implementation for every service that publishes events: a change and the events that
// announce it are saved in one transaction (OutboxMessage rows in the service's own schema), and OutboxDispatcher<TContext>
// publishes them to Redis afterwards, so nothing is lost while Redis is down and nothing is published for a change that
// rolled back. A service opts in with three pieces:
//   modelBuilder.AddOutboxMessages();                                  // in its DbContext's OnModelCreating (+ a migration)
//   builder.AddTransactionalOutbox<MyDbContext>("EcomGo.MyService");   // in its registration, after AddRedisEventBus()
//   await db.InTransactionAsync(ct => { ...; db.AddEvent(EventTypes.X, payload, now); ... }, ct);
//   outboxSignal.Notify();                                             // OutboxSignal<MyDbContext>: publish now, not at the next poll

/// <summary>
/// An event written in the same transaction as the change it describes; the dispatcher publishes it to Redis
/// and stamps <see cref="SentAt"/>, so nothing is lost while Redis is down.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    /// <summary>
    /// The event's globally unique id (UUIDv7, time-ordered) that consumers and the publish-once marker key on. Not the
    /// row id: row ids start again after a database reset while Redis still remembers the old ones.
    /// </summary>
    public Guid EventId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Dispatcher settings, bound from the "Outbox" configuration section of the service.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    public int BatchSize { get; set; } = 100;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// A wake-up call for a background loop: <see cref="Notify"/> from anywhere (repeated calls before the loop wakes count
/// once); <see cref="WaitAsync"/> returns true when notified, false after the timeout.
/// </summary>
public class WakeUpSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Wakes the outbox dispatcher of <typeparamref name="TContext"/> as soon as a transaction with events commits, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal<TContext> : WakeUpSignal where TContext : DbContext;

/// <summary>Outbox metrics on the service's own meter ("EcomGo.&lt;Service&gt;"; ServiceDefaults exports every EcomGo.* meter).</summary>
public sealed class OutboxMetrics<TContext> where TContext : DbContext
{
    private readonly Counter<long> _published;
    private long _pending;

    public OutboxMetrics(IMeterFactory meterFactory, string meterName)
    {
        var meter = meterFactory.Create(meterName);
        _published = meter.CreateCounter<long>("ecomgo.outbox.published", "{event}", "Outbox events published to Redis");
        meter.CreateObservableGauge("ecomgo.outbox.pending", () => Interlocked.Read(ref _pending), "{event}", "Outbox events not yet published");
    }

    public void Published(string eventType) => _published.Add(1, new KeyValuePair<string, object?>("event.type", eventType));

    public void SetPending(long pending) => Interlocked.Exchange(ref _pending, pending);
}

public static class TransactionalOutboxExtensions
{
    /// <summary>
    /// Maps <see cref="OutboxMessage"/> to the "Outbox" table of the context's default schema (the same table, columns and
    /// indexes every service's migrations create).
    /// </summary>
    public static ModelBuilder AddOutboxMessages(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("Outbox");
            e.Property(m => m.EventType).HasMaxLength(64);
            e.Property(m => m.LastError).HasMaxLength(1000);
            // The dispatcher scans unsent rows in order.
            e.HasIndex(m => m.Id).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("IX_Outbox_Unsent");
            // Rows written before event ids existed get a random (v4) id; new rows get a UUIDv7 from AddEvent.
            e.Property(m => m.EventId).HasDefaultValueSql("gen_random_uuid()");
            e.HasIndex(m => m.EventId).IsUnique();
        });
        return modelBuilder;
    }

    /// <summary>
    /// Registers the outbox of <typeparamref name="TContext"/>: its dispatcher (a hosted service: register it after
    /// anything that must finish first, such as seeding), its <see cref="OutboxSignal{TContext}"/> and its metrics on
    /// <paramref name="meterName"/>. Needs <c>AddRedisEventBus()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTransactionalOutbox<TContext>(this IHostApplicationBuilder builder, string meterName)
        where TContext : DbContext
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxSignal<TContext>>();
        builder.Services.AddSingleton(sp => new OutboxMetrics<TContext>(sp.GetRequiredService<IMeterFactory>(), meterName));
        builder.Services.AddHostedService<OutboxDispatcher<TContext>>();
        return builder;
    }

    /// <summary>Queues an event in the context's outbox; it is saved with the context's other changes (same transaction).</summary>
    public static void AddEvent<T>(this DbContext db, string eventType, T payload, DateTimeOffset now) =>
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            EventId = Guid.CreateVersion7(now),
            EventType = eventType,
            Payload = JsonSerializer.Serialize(payload, EventEnvelope.SerializerOptions),
            CreatedAt = now,
        });

    /// <summary>
    /// Runs <paramref name="work"/> in one short transaction under the context's execution strategy (Aspire enables
    /// retries, which refuse user transactions outside a strategy). Each attempt starts from a clean change tracker.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }
}

/// <summary>
/// Publishes the outbox rows of <typeparamref name="TContext"/> to Redis in id order, then stamps them sent. Publishing is
/// idempotent by the row's event id (<see cref="RedisEventBus.PublishAsync"/> skips an id it has already pushed), so a
/// crash between publishing and stamping re-sends nothing twice. The bus queues each event for every consumer group
/// declared for its type (<see cref="EventSubscriptions.Declared"/>), started or not. While Redis is down rows simply
/// stay in the table: back off and retry.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopeFactory, RedisEventBus bus, OutboxSignal<TContext> signal, OutboxMetrics<TContext> metrics,
    IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
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
                var found = await DispatchBatchAsync(settings.BatchSize, stoppingToken);
                if (failing)
                {
                    logger.LogInformation("Outbox dispatch recovered");
                    failing = false;
                }

                backoff = settings.PollInterval;
                if (found < settings.BatchSize)
                {
                    // Caught up: sleep until the next poll or until a transaction writes an event.
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

                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
            }
        }
    }

    private async Task<int> DispatchBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>();
        var batch = await outbox.AsNoTracking()
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            metrics.SetPending(0);
            return 0;
        }

        var sent = new List<long>(batch.Count);
        try
        {
            foreach (var message in batch)
            {
                try
                {
                    // False: an earlier attempt already pushed this id (we crashed before stamping it) - just stamp it now.
                    if (await bus.PublishAsync(message.EventId.ToString(), message.EventType, message.CreatedAt, message.Payload))
                    {
                        metrics.Published(message.EventType);
                    }

                    sent.Add(message.Id);
                }
                catch (JsonException e)
                {
                    // A payload that is not JSON can never be published; stamp it so it does not block the rest, and say so loudly.
                    logger.LogError(e, "Outbox message {Id} ({EventType}) has an invalid payload; skipped", message.Id, message.EventType);
                    await outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.LastError, "Invalid JSON payload")
                        .SetProperty(m => m.SentAt, time.GetUtcNow()), CancellationToken.None);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    await outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
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
                await outbox.Where(m => sent.Contains(m.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now), CancellationToken.None);
            }

            metrics.SetPending(batch.Count < batchSize
                ? batch.Count - sent.Count
                : await outbox.CountAsync(m => m.SentAt == null, CancellationToken.None));
        }

        return batch.Count;
    }

    private static string Truncate(string value) => value.Length <= 1000 ? value : value[..1000];
}
