using EcomGo.ServiceDefaults.Messaging;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

public sealed class OrderService(StorefrontDbContext db, PricingService pricing, OutboxSignal<StorefrontDbContext> outboxSignal, TimeProvider time,
    PageCache pageCache) : IOrderService
{
    public async Task<OrderView> CheckoutAsync(string userId, CheckoutInput input, CancellationToken cancellationToken = default)
    {
        var cleaned = new CheckoutInput { ShippingName = input.ShippingName?.Trim() ?? "", ShippingAddress = input.ShippingAddress?.Trim() ?? "" };
        ShopValidation.Validate(cleaned);

        var shopper = new ShopperIdentity(userId, null);
        var key = shopper.Key;
        var book = await pricing.GetPriceBookAsync(cancellationToken);
        var now = time.GetUtcNow();

        var order = await db.InTransactionAsync(async ct =>
        {
            var items = await db.CartItems.Where(c => c.ShopperKey == key).Include(c => c.Product).OrderBy(c => c.Id).ToListAsync(ct);
            if (items.Count == 0)
            {
                throw ShopValidationException.For("cart", "Your cart is empty.");
            }

            var entity = new Order
            {
                UserId = userId,
                PlacedAt = now,
                Status = OrderStatus.Placed,
                ShippingName = cleaned.ShippingName,
                ShippingAddress = cleaned.ShippingAddress,
            };
            // Take the stock in product id order: two checkouts holding the same products lock them in the same order,
            // so they queue instead of deadlocking.
            foreach (var item in items.OrderBy(i => i.ProductId))
            {
                // Conditional decrement: two checkouts racing for the last units cannot both win.
                var taken = await db.Products.Where(p => p.Id == item.ProductId && p.Stock >= item.Quantity)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock - item.Quantity), ct);
                if (taken == 0)
                {
                    // The stock loaded with the cart may be stale (a racing checkout just took it): say what is left now.
                    var left = await db.Products.Where(p => p.Id == item.ProductId).Select(p => p.Stock).FirstAsync(ct);
                    throw ShopValidationException.For("cart", left <= 0
                        ? $"{item.Product!.Name} is out of stock; remove it from your cart."
                        : $"Only {left} of {item.Product!.Name} in stock; lower the quantity in your cart.");
                }
            }

            foreach (var item in items)
            {
                var product = item.Product!;
                entity.Lines.Add(new OrderLine
                {
                    ProductId = product.Id,
                    ProductName = product.Name,
                    UnitPrice = book.PriceOf(product).Price,
                    Quantity = item.Quantity,
                });
            }

            entity.Total = entity.Lines.Sum(l => l.UnitPrice * l.Quantity);
            db.Orders.Add(entity);
            db.CartItems.RemoveRange(items);
            await db.SaveInteractionsWithEventsAsync(
                [.. entity.Lines.Select(l => InteractionRecorder.Create(shopper, l.ProductId, InteractionKind.Purchase, l.Quantity, now))], now, ct);
            return entity;
        }, cancellationToken);
        outboxSignal.Notify();
        await pageCache.ProductsChangedAsync(order.Lines.Select(l => l.ProductId), CancellationToken.None); // stock
        return ToView(order);
    }

    public async Task<IReadOnlyList<OrderView>> GetOrdersAsync(string userId, CancellationToken cancellationToken = default)
    {
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .Where(o => o.UserId == userId)
            .OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id)
            .ToListAsync(cancellationToken);
        return [.. orders.Select(ToView)];
    }

    public async Task<OrderView?> GetOrderAsync(string userId, int orderId, CancellationToken cancellationToken = default)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .FirstOrDefaultAsync(o => o.Id == orderId && o.UserId == userId, cancellationToken);
        return order is null ? null : ToView(order);
    }

    private static OrderView ToView(Order o) => new(o.Id, o.PlacedAt, o.Status, o.Total, o.ShippingName, o.ShippingAddress,
        [.. o.Lines.OrderBy(l => l.Id).Select(l => new OrderLineView(l.ProductId, l.ProductName, l.UnitPrice, l.Quantity))]);
}
