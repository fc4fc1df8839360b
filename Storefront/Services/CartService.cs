using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomGo.Storefront.Services;

public sealed class CartService(StorefrontDbContext db, PricingService pricing, OutboxSignal<StorefrontDbContext> outboxSignal, TimeProvider time) : ICartService
{
    public const int MaxQuantity = 99;

    public async Task<CartView> GetCartAsync(ShopperIdentity shopper, CancellationToken cancellationToken = default)
    {
        var key = shopper.Key;
        var items = await db.CartItems.AsNoTracking()
            .Where(c => c.ShopperKey == key)
            .OrderBy(c => c.AddedAt).ThenBy(c => c.Id)
            .Select(c => new { c.ProductId, c.Quantity, c.Product!.Name, c.Product.CategoryId, c.Product.ManufacturerId, c.Product.Price, c.Product.DiscountPercent, c.Product.Stock })
            .ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            return new CartView([]);
        }

        var book = await pricing.GetPriceBookAsync(cancellationToken);
        return new CartView([.. items.Select(i => new CartLine(i.ProductId, i.Name, CatalogService.ImageUrl(i.ProductId),
            book.PriceOf(i.ProductId, i.CategoryId, i.ManufacturerId, i.Price, i.DiscountPercent), i.Quantity, i.Stock))]);
    }

    public async Task<CartView> AddAsync(ShopperIdentity shopper, int productId, int quantity, CancellationToken cancellationToken = default)
    {
        RequireShopper(shopper);
        ValidateQuantity(quantity);
        var product = await FindProductAsync(productId, cancellationToken);
        var key = shopper.Key;
        var now = time.GetUtcNow();

        Task<bool> AddOnceAsync() => db.InTransactionAsync(async ct =>
        {
            var item = await db.CartItems.FirstOrDefaultAsync(c => c.ShopperKey == key && c.ProductId == productId, ct);
            var newQuantity = (item?.Quantity ?? 0) + quantity;
            ValidateAgainstStock(product.Name, product.Stock, newQuantity, item?.Quantity ?? 0);
            if (item is null)
            {
                db.CartItems.Add(new CartItem { ShopperKey = key, ProductId = productId, Quantity = newQuantity, AddedAt = now });
            }
            else
            {
                item.Quantity = newQuantity;
            }

            // Adding to the cart is a strong taste signal for the Recommender.
            await db.SaveInteractionsWithEventsAsync([InteractionRecorder.Create(shopper, productId, InteractionKind.Cart, quantity, now)], now, ct);
            return true;
        }, cancellationToken);

        try
        {
            await AddOnceAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A parallel add (double click, two tabs) inserted this cart line first: this attempt rolled back whole,
            // so run it again, now adding to that line.
            await AddOnceAsync();
        }

        outboxSignal.Notify();
        return await GetCartAsync(shopper, cancellationToken);
    }

    public async Task<CartView> SetQuantityAsync(ShopperIdentity shopper, int productId, int quantity, CancellationToken cancellationToken = default)
    {
        RequireShopper(shopper);
        ValidateQuantity(quantity);
        var product = await FindProductAsync(productId, cancellationToken);
        ValidateAgainstStock(product.Name, product.Stock, quantity, 0);
        var key = shopper.Key;

        var updated = await db.CartItems.Where(c => c.ShopperKey == key && c.ProductId == productId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Quantity, quantity), cancellationToken);
        if (updated == 0)
        {
            throw ShopValidationException.For("productId", $"{product.Name} is not in your cart.");
        }

        return await GetCartAsync(shopper, cancellationToken);
    }

    public async Task<CartView> RemoveAsync(ShopperIdentity shopper, int productId, CancellationToken cancellationToken = default)
    {
        var key = shopper.Key;
        await db.CartItems.Where(c => c.ShopperKey == key && c.ProductId == productId).ExecuteDeleteAsync(cancellationToken);
        return await GetCartAsync(shopper, cancellationToken);
    }

    public async Task LinkSessionAsync(string sessionId, string userId, CancellationToken cancellationToken = default)
    {
        var sessionKey = new ShopperIdentity(null, sessionId).Key;
        var userKey = new ShopperIdentity(userId, null).Key;

        await db.InTransactionAsync(async ct =>
        {
            var sessionItems = await db.CartItems.Where(c => c.ShopperKey == sessionKey).Include(c => c.Product).ToListAsync(ct);
            if (sessionItems.Count > 0)
            {
                var productIds = sessionItems.Select(i => i.ProductId).ToList();
                var userItems = await db.CartItems.Where(c => c.ShopperKey == userKey && productIds.Contains(c.ProductId))
                    .ToDictionaryAsync(c => c.ProductId, ct);
                foreach (var item in sessionItems)
                {
                    var limit = Math.Min(MaxQuantity, Math.Max(1, item.Product!.Stock));
                    if (userItems.TryGetValue(item.ProductId, out var existing))
                    {
                        existing.Quantity = Math.Min(limit, existing.Quantity + item.Quantity);
                        db.CartItems.Remove(item);
                    }
                    else
                    {
                        item.ShopperKey = userKey;
                        item.Quantity = Math.Min(limit, item.Quantity);
                    }
                }
            }

            // Views made before signing in now count for the user's recommendations too; the Recommender, which already
            // has them under the session, learns of the link from the event.
            await db.Interactions.Where(i => i.SessionId == sessionId && i.UserId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.UserId, userId), ct);
            var now = time.GetUtcNow();
            db.AddEvent(EventTypes.ShopperSignedIn, new ShopperSignedInV1(userId, sessionId, now), now);
            return true;
        }, cancellationToken);
        outboxSignal.Notify();
    }

    private async Task<(string Name, int Stock)> FindProductAsync(int productId, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new { p.Name, p.Stock }).FirstOrDefaultAsync(cancellationToken);
        return product is null ? throw new ProductNotFoundException(productId) : (product.Name, product.Stock);
    }

    private static void RequireShopper(ShopperIdentity shopper)
    {
        if (shopper.UserId is null && shopper.SessionId is null)
        {
            throw ShopValidationException.For("shopper", "No shopper: sign in or allow the session cookie.");
        }
    }

    private static void ValidateQuantity(int quantity)
    {
        if (quantity is < 1 or > MaxQuantity)
        {
            throw ShopValidationException.For("quantity", $"Quantity must be between 1 and {MaxQuantity}.");
        }
    }

    private static void ValidateAgainstStock(string name, int stock, int wanted, int alreadyInCart)
    {
        if (stock <= 0)
        {
            throw ShopValidationException.For("quantity", $"{name} is out of stock.");
        }

        if (wanted > stock)
        {
            throw ShopValidationException.For("quantity", alreadyInCart > 0
                ? $"Only {stock} of {name} in stock and you already have {alreadyInCart} in your cart."
                : $"Only {stock} of {name} in stock.");
        }

        if (wanted > MaxQuantity)
        {
            throw ShopValidationException.For("quantity", $"At most {MaxQuantity} of one product per order.");
        }
    }
}
