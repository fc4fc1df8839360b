using System.Globalization;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>Loads the promotions running now; prices are then computed in memory with <see cref="PriceBook"/>.</summary>
public sealed class PricingService(StorefrontDbContext db, TimeProvider time)
{
    public async Task<PriceBook> GetPriceBookAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var active = await db.Promotions.AsNoTracking()
            .Where(p => p.StartsAt <= now && p.EndsAt > now)
            .OrderBy(p => p.Id)
            .ToListAsync(cancellationToken);
        return new PriceBook(active);
    }
}

/// <summary>
/// The pricing rules, in one place so pages, the API, the cart and checkout agree:
/// a product's effective price is the lowest of its list price, its own markdown (DiscountPercent) and each active
/// promotion that targets the product, its category or its manufacturer (percentage or fixed amount). Discounts do not
/// stack; a fixed amount never takes the price below zero; prices are rounded to cents (half away from zero).
/// </summary>
public sealed class PriceBook(IReadOnlyList<Promotion> activePromotions)
{
    public IReadOnlyList<Promotion> ActivePromotions { get; } = activePromotions;

    public PriceInfo PriceOf(Product product) =>
        PriceOf(product.Id, product.CategoryId, product.ManufacturerId, product.Price, product.DiscountPercent);

    public PriceInfo PriceOf(int productId, int categoryId, int manufacturerId, decimal listPrice, decimal discountPercent)
    {
        var best = listPrice;
        string? label = null;
        DateTimeOffset? endsAt = null;

        if (discountPercent > 0)
        {
            var marked = RoundToCents(listPrice * (1 - Math.Min(discountPercent, 100m) / 100m));
            if (marked < best)
            {
                (best, label) = (marked, $"Sale −{FormatNumber(discountPercent)}%");
            }
        }

        foreach (var promotion in ActivePromotions)
        {
            if (!promotion.AppliesTo(productId, categoryId, manufacturerId))
            {
                continue;
            }

            var price = promotion.Kind == DiscountKind.Percentage
                ? RoundToCents(listPrice * (1 - Math.Min(promotion.Amount, 100m) / 100m))
                : RoundToCents(Math.Max(0m, listPrice - promotion.Amount));
            // Strictly lower only: on a tie the earlier candidate (own markdown, then lower promotion id) keeps the label.
            if (price < best)
            {
                best = price;
                label = promotion.Kind == DiscountKind.Percentage
                    ? $"{promotion.Name} −{FormatNumber(promotion.Amount)}%"
                    : $"{promotion.Name} −${FormatNumber(promotion.Amount)}";
                endsAt = promotion.EndsAt;
            }
        }

        best = Math.Max(0m, best);
        return new PriceInfo(listPrice, best, listPrice - best, label, label is null ? null : endsAt);
    }

    public static decimal RoundToCents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static string FormatNumber(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
