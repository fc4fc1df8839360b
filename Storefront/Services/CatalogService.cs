using System.Text.RegularExpressions;
using EcomGo.Storefront.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Services;

/// <summary>
/// Catalog reads. Effective prices depend on time-windowed promotions, so price filters and price sorting run in
/// memory over the rows the database has already narrowed by text, category and manufacturer. The demo catalog has
/// hundreds of products, so that is a few kilobytes per search; a much larger catalog would materialise the price.
/// </summary>
public sealed partial class CatalogService(StorefrontDbContext db, PricingService pricing) : ICatalogService
{
    public const int MaxPageSize = 100;
    public static string ImageUrl(int productId) => $"/images/products/{productId}.svg";

    public async Task<PagedResult<ProductSummary>> SearchAsync(ProductQuery query, CancellationToken cancellationToken = default)
    {
        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);

        var products = db.Products.AsNoTracking();
        if (query.CategoryId is int categoryId)
        {
            products = products.Where(p => p.CategoryId == categoryId);
        }

        if (query.ManufacturerId is int manufacturerId)
        {
            products = products.Where(p => p.ManufacturerId == manufacturerId);
        }

        Dictionary<int, double>? ranks = null;
        var text = query.Text?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            ranks = await RankAsync(products, text, cancellationToken);
            var matched = ranks.Keys.ToList();
            products = products.Where(p => matched.Contains(p.Id));
        }

        var book = await pricing.GetPriceBookAsync(cancellationToken);
        var rows = await LoadRowsAsync(products, cancellationToken);
        var items = rows.Select(r => (Row: r, Summary: ToSummary(r, book))).ToList();

        if (query.MinPrice is decimal min)
        {
            items = items.Where(i => i.Summary.Price.Price >= min).ToList();
        }

        if (query.MaxPrice is decimal max)
        {
            items = items.Where(i => i.Summary.Price.Price <= max).ToList();
        }

        if (query.OnPromotion)
        {
            items = items.Where(i => i.Summary.Price.IsDiscounted).ToList();
        }

        IEnumerable<(Row Row, ProductSummary Summary)> sorted = query.Sort switch
        {
            ProductSort.PriceAscending => items.OrderBy(i => i.Summary.Price.Price).ThenBy(i => i.Row.Id),
            ProductSort.PriceDescending => items.OrderByDescending(i => i.Summary.Price.Price).ThenBy(i => i.Row.Id),
            ProductSort.Name => items.OrderBy(i => i.Row.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Row.Id),
            ProductSort.Newest => items.OrderByDescending(i => i.Row.CreatedAt).ThenByDescending(i => i.Row.Id),
            ProductSort.TopRated => items.OrderByDescending(i => i.Row.AverageRating ?? 0).ThenByDescending(i => i.Row.ReviewCount).ThenBy(i => i.Row.Id),
            // Relevance: text rank when searching, otherwise the most reviewed (a popularity proxy) first.
            _ when ranks is not null => items.OrderByDescending(i => ranks[i.Row.Id]).ThenByDescending(i => i.Row.ReviewCount).ThenBy(i => i.Row.Id),
            _ => items.OrderByDescending(i => i.Row.ReviewCount).ThenByDescending(i => i.Row.AverageRating ?? 0).ThenBy(i => i.Row.Id),
        };

        var pageItems = sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(i => i.Summary).ToList();
        return new PagedResult<ProductSummary>(pageItems, page, pageSize, items.Count);
    }

    /// <summary>
    /// Ranks matches with ts_rank_cd over the weighted search vector (name and manufacturer A, description C).
    /// Searching exactly a manufacturer's name puts its products first. When websearch syntax finds nothing
    /// (typically a partial word such as "head"), retry as prefixes, then as a plain substring match.
    /// </summary>
    private async Task<Dictionary<int, double>> RankAsync(IQueryable<Product> products, string text, CancellationToken cancellationToken)
    {
        var ranks = await products
            .Where(p => p.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", text)))
            .Select(p => new { p.Id, p.ManufacturerName, Rank = p.SearchVector.RankCoverDensity(EF.Functions.WebSearchToTsQuery("english", text)) })
            .ToListAsync(cancellationToken);

        var words = WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(8).ToList();
        if (ranks.Count == 0 && words.Count > 0)
        {
            var prefixQuery = string.Join(" & ", words.Select(w => w + ":*"));
            ranks = await products
                .Where(p => p.SearchVector.Matches(EF.Functions.ToTsQuery("english", prefixQuery)))
                .Select(p => new { p.Id, p.ManufacturerName, Rank = p.SearchVector.RankCoverDensity(EF.Functions.ToTsQuery("english", prefixQuery)) })
                .ToListAsync(cancellationToken);
        }

        if (ranks.Count == 0 && words.Count > 0)
        {
            var substring = products;
            foreach (var word in words)
            {
                var pattern = "%" + word + "%"; // words are letters and digits only: nothing to escape
                substring = substring.Where(p => EF.Functions.ILike(p.Name, pattern) || EF.Functions.ILike(p.ManufacturerName, pattern)
                                                 || EF.Functions.ILike(p.Description, pattern));
            }

            ranks = await substring
                .Select(p => new { p.Id, p.ManufacturerName, Rank = EF.Functions.ILike(p.Name, "%" + words[0] + "%") ? 0.1f : 0.01f })
                .ToListAsync(cancellationToken);
        }

        return ranks.ToDictionary(r => r.Id, r =>
            r.Rank + (string.Equals(r.ManufacturerName, text, StringComparison.OrdinalIgnoreCase) ? 10.0 : 0.0));
    }

    public async Task<ProductDetails?> GetProductAsync(int id, CancellationToken cancellationToken = default)
    {
        var product = await db.Products.AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new { p.Description, p.Specs, p.ManufacturerId })
            .FirstOrDefaultAsync(cancellationToken);
        if (product is null)
        {
            return null;
        }

        var summary = (await GetProductsAsync([id], cancellationToken)).Single();
        var manufacturer = (await LoadManufacturersAsync(db.Manufacturers.Where(m => m.Id == product.ManufacturerId), cancellationToken)).Single();
        return new ProductDetails(summary, product.Description, product.Specs, manufacturer);
    }

    public async Task<IReadOnlyList<ProductSummary>> GetProductsAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var wanted = ids.Distinct().ToList();
        var book = await pricing.GetPriceBookAsync(cancellationToken);
        var rows = await LoadRowsAsync(db.Products.AsNoTracking().Where(p => wanted.Contains(p.Id)), cancellationToken);
        var byId = rows.ToDictionary(r => r.Id, r => ToSummary(r, book));
        // Keep the caller's order (recommendations are ranked); unknown ids are skipped.
        return [.. wanted.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    public async Task<IReadOnlyList<CategoryInfo>> GetCategoriesAsync(CancellationToken cancellationToken = default) =>
        await db.Categories.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new CategoryInfo(c.Id, c.Name, c.Slug, c.Description, db.Products.Count(p => p.CategoryId == c.Id)))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ManufacturerInfo>> GetManufacturersAsync(string? search = null, CancellationToken cancellationToken = default)
    {
        var manufacturers = db.Manufacturers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + EscapeLike(search.Trim()) + "%";
            manufacturers = manufacturers.Where(m => EF.Functions.ILike(m.Name, pattern, "\\"));
        }

        return await LoadManufacturersAsync(manufacturers, cancellationToken);
    }

    public async Task<ManufacturerDetails?> GetManufacturerAsync(int id, CancellationToken cancellationToken = default)
    {
        var manufacturer = (await LoadManufacturersAsync(db.Manufacturers.Where(m => m.Id == id), cancellationToken)).SingleOrDefault();
        if (manufacturer is null)
        {
            return null;
        }

        var book = await pricing.GetPriceBookAsync(cancellationToken);
        var rows = await LoadRowsAsync(db.Products.AsNoTracking().Where(p => p.ManufacturerId == id), cancellationToken);
        return new ManufacturerDetails(manufacturer, [.. rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(r => ToSummary(r, book))]);
    }

    public async Task<IReadOnlyList<PromotionInfo>> GetActivePromotionsAsync(CancellationToken cancellationToken = default)
    {
        var book = await pricing.GetPriceBookAsync(cancellationToken);
        var promotions = book.ActivePromotions;
        var productIds = promotions.Where(p => p.Target == PromotionTarget.Product).Select(p => p.TargetId).ToList();
        var categoryIds = promotions.Where(p => p.Target == PromotionTarget.Category).Select(p => p.TargetId).ToList();
        var manufacturerIds = promotions.Where(p => p.Target == PromotionTarget.Manufacturer).Select(p => p.TargetId).ToList();

        var productNames = await db.Products.Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var categoryNames = await db.Categories.Where(c => categoryIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var manufacturerNames = await db.Manufacturers.Where(m => manufacturerIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);

        return
        [
            .. promotions.OrderBy(p => p.EndsAt).ThenBy(p => p.Id).Select(p => new PromotionInfo(
                p.Id, p.Name, p.Description, p.Kind, p.Amount, p.Target, p.TargetId,
                (p.Target switch
                {
                    PromotionTarget.Product => productNames,
                    PromotionTarget.Category => categoryNames,
                    _ => manufacturerNames,
                }).GetValueOrDefault(p.TargetId, "?"),
                p.StartsAt, p.EndsAt)),
        ];
    }

    internal sealed record Row(int Id, string Name, int CategoryId, string CategoryName, int ManufacturerId, string ManufacturerName,
        decimal Price, decimal DiscountPercent, int Stock, DateTimeOffset CreatedAt, double? AverageRating, int ReviewCount);

    internal Task<List<Row>> LoadRowsAsync(IQueryable<Product> products, CancellationToken cancellationToken) =>
        products.Select(p => new Row(p.Id, p.Name, p.CategoryId, p.Category!.Name, p.ManufacturerId, p.ManufacturerName,
                p.Price, p.DiscountPercent, p.Stock, p.CreatedAt,
                db.Reviews.Where(r => r.ProductId == p.Id).Average(r => (double?)r.Rating),
                db.Reviews.Count(r => r.ProductId == p.Id)))
            .ToListAsync(cancellationToken);

    internal static ProductSummary ToSummary(Row r, PriceBook book) => new(
        r.Id, r.Name, r.CategoryId, r.CategoryName, r.ManufacturerId, r.ManufacturerName,
        book.PriceOf(r.Id, r.CategoryId, r.ManufacturerId, r.Price, r.DiscountPercent), r.Stock,
        r.AverageRating is double avg ? Math.Round(avg, 2) : null, r.ReviewCount, ImageUrl(r.Id));

    private Task<List<ManufacturerInfo>> LoadManufacturersAsync(IQueryable<Manufacturer> manufacturers, CancellationToken cancellationToken) =>
        manufacturers.AsNoTracking()
            .OrderBy(m => m.Name)
            .Select(m => new ManufacturerInfo(m.Id, m.Name, m.Country, m.Founded, m.Description, m.Website, m.Products.Count))
            .ToListAsync(cancellationToken);

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
