using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

public sealed class InteractionRecorder(StorefrontDbContext db, OutboxSignal<StorefrontDbContext> outboxSignal, TimeProvider time) : IInteractionRecorder
{
    public async Task RecordAsync(ShopperIdentity shopper, int productId, InteractionKind kind, int value, CancellationToken cancellationToken = default)
    {
        Validate(shopper, kind, value);
        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            throw new ProductNotFoundException(productId);
        }

        var now = time.GetUtcNow();
        await db.InTransactionAsync(async ct =>
        {
            await db.SaveInteractionsWithEventsAsync([Create(shopper, productId, kind, value, now)], now, ct);
            return true;
        }, cancellationToken);
        outboxSignal.Notify();
    }

    public static Interaction Create(ShopperIdentity shopper, int productId, InteractionKind kind, int value, DateTimeOffset now) => new()
    {
        UserId = shopper.UserId,
        SessionId = shopper.UserId is null ? shopper.SessionId : null,
        ProductId = productId,
        Kind = kind,
        Value = value,
        OccurredAt = now,
    };

    private static void Validate(ShopperIdentity shopper, InteractionKind kind, int value)
    {
        if (shopper.UserId is null && shopper.SessionId is null)
        {
            throw ShopValidationException.For("shopper", "No shopper: sign in or allow the session cookie.");
        }

        var (min, max, meaning) = kind switch
        {
            InteractionKind.View or InteractionKind.EmailClick => (1, 1, "a view's or click's value must be 1"),
            InteractionKind.Rating => (1, 5, "a rating must be from 1 to 5"),
            InteractionKind.Cart or InteractionKind.Purchase => (1, 99, "a quantity must be from 1 to 99"),
            _ => throw ShopValidationException.For("kind", $"Unknown interaction kind '{kind}'."),
        };
        if (value < min || value > max)
        {
            throw ShopValidationException.For("value", $"Invalid value {value}: {meaning}.");
        }
    }
}
