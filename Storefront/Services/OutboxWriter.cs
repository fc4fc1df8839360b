using System.Text.Json;
using System.Threading.Channels;
using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>Wakes the outbox dispatcher as soon as a transaction with events commits, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Helpers for writing a change and its events atomically (the transactional outbox).</summary>
internal static class OutboxWriter
{
    public static void AddEvent<T>(this StorefrontDbContext db, string eventType, T payload, DateTimeOffset now) =>
        db.Outbox.Add(new OutboxMessage
        {
            EventId = Guid.CreateVersion7(now),
            EventType = eventType,
            Payload = JsonSerializer.Serialize(payload, EventEnvelope.SerializerOptions),
            CreatedAt = now,
        });

    /// <summary>
    /// Saves interactions, then their interaction-recorded events (which need the generated ids).
    /// Call inside <see cref="InTransactionAsync{T}"/> so both land together or not at all.
    /// </summary>
    public static async Task SaveInteractionsWithEventsAsync(this StorefrontDbContext db, IReadOnlyCollection<Interaction> interactions,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.Interactions.AddRange(interactions);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var i in interactions)
        {
            db.AddEvent(EventTypes.InteractionRecorded, ToEvent(i), now);
        }
    }

    public static InteractionRecordedV1 ToEvent(Interaction i) =>
        new(i.Id, i.UserId, i.UserId is null ? i.SessionId : null, i.ProductId, i.Kind.ToString().ToLowerInvariant(), i.Value, i.OccurredAt);

    /// <summary>
    /// Runs <paramref name="work"/> in one short transaction under the context's execution strategy (Aspire enables
    /// retries, which refuse user transactions outside a strategy). Each attempt starts from a clean change tracker.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this StorefrontDbContext db, Func<CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
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
