using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomGo.Storefront.Services.Email;

/// <summary>Wakes the email sender as soon as something is queued, instead of at its next poll.</summary>
public sealed class EmailSignal : WakeUpSignal;

/// <summary>Puts rendered emails into the durable queue (the EmailMessages table); the unique DedupKey makes it idempotent.</summary>
public sealed class EmailQueue(StorefrontDbContext db, EmailSignal signal, TimeProvider time)
{
    public Task<bool> ContainsAsync(string dedupKey, CancellationToken cancellationToken) =>
        db.EmailMessages.AnyAsync(m => m.DedupKey == dedupKey, cancellationToken);

    /// <summary>Queues the email; false when one with the same DedupKey was queued before (by this or another instance).</summary>
    public async Task<bool> EnqueueAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        message.Status = EmailStatus.Pending;
        message.CreatedAt = now;
        message.NextAttemptAt = now;
        db.EmailMessages.Add(message);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(message).State = EntityState.Detached;
            return false;
        }

        signal.Notify();
        return true;
    }
}
