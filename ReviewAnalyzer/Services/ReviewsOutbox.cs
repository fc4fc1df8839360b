using System.Text.Json;
using System.Threading.Channels;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>Wakes the outbox dispatcher as soon as a transaction with events commits, instead of waiting for its next poll.</summary>
public sealed class ReviewsOutboxSignal
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

/// <summary>
/// The ReviewAnalyzer's transactional outbox (same pattern as the Storefront's): results and the events announcing them
/// are saved in one transaction, and <c>ReviewsOutboxDispatcher</c> publishes the events afterwards.
/// </summary>
internal static class ReviewsOutbox
{
    public static void AddEvent<T>(this ReviewsDbContext db, string eventType, T payload, DateTimeOffset now) =>
        db.Outbox.Add(new OutboxMessage
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
    public static async Task<T> InTransactionAsync<T>(this ReviewsDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
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
