using System.Globalization;
using System.Text.RegularExpressions;
using EcomGo.ChatAgent.Tools;
using EcomGo.ServiceDefaults.Contracts;

namespace EcomGo.ChatAgent.Services;

/// <summary>
/// Checks an answer against the tool results of its turn: every product link, price and known manufacturer it mentions
/// must come from a tool. An unbacked price is the worst case (a shopper may act on it): it is counted in telemetry.
/// </summary>
public static partial class GroundingChecker
{
    public static ChatGrounding Check(string answer, TurnEvidence evidence, IReadOnlyCollection<string> knownManufacturers)
    {
        var productIds = ProductLink().Matches(answer)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(id => !evidence.HasProduct(id))
            .Distinct()
            .ToArray();

        var prices = Price().Matches(answer)
            .Select(m => decimal.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture))
            .Where(amount => !evidence.HasAmount(amount))
            .Distinct()
            .ToArray();

        // Only names the shop knows can be checked; an invented brand cannot be told from a word.
        var manufacturers = knownManufacturers
            .Where(name => Regex.IsMatch(answer, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
            .Where(name => !evidence.HasManufacturer(name))
            .ToArray();

        return new ChatGrounding(productIds.Length == 0 && prices.Length == 0 && manufacturers.Length == 0, productIds, prices, manufacturers);
    }

    /// <summary>Products the answer names (by link or full name), in the order it names them, as cards.</summary>
    public static IReadOnlyList<ShopProduct> MentionedProducts(string answer, TurnEvidence evidence)
    {
        var linked = ProductLink().Matches(answer).Select(m => (m.Index, Id: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        var named = evidence.Products
            .Select(p => (Index: answer.IndexOf(p.Name, StringComparison.OrdinalIgnoreCase), p.Id))
            .Where(x => x.Index >= 0);
        var products = evidence.Products.ToDictionary(p => p.Id);
        return linked.Concat(named)
            .OrderBy(x => x.Index)
            .Select(x => x.Id)
            .Distinct()
            .Where(products.ContainsKey)
            .Select(id => products[id])
            .ToArray();
    }

    public static ChatProductCard ToCard(ShopProduct p) => new(
        p.Id, p.Name, p.ManufacturerName, p.Price.ListPrice, p.Price.Saving > 0 ? p.Price.Price : null, p.ImageUrl, ToolJson.ProductUrl(p.Id));

    [GeneratedRegex(@"/products/(\d{1,9})\b")]
    private static partial Regex ProductLink();

    // "$849", "$1,299.00", "USD 849": amounts with a currency mark. Bare numbers (ratings, years, counts) are not prices.
    [GeneratedRegex(@"(?:\$|\bUSD\s?)\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)", RegexOptions.IgnoreCase)]
    private static partial Regex Price();
}
