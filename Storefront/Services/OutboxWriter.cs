using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>The Storefront's events that need generated ids (the outbox itself is ServiceDefaults' TransactionalOutbox).</summary>
internal static class OutboxWriter
{
    /// <summary>
    /// Saves interactions, then their interaction-recorded events (which need the generated ids).
    /// Call inside <see cref="TransactionalOutboxExtensions.InTransactionAsync{T}"/> so both land together or not at all.
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
        new(i.Id, i.UserId, i.UserId is null ? i.SessionId : null, i.ProductId, i.Kind.WireName(), i.Value, i.OccurredAt);
}
