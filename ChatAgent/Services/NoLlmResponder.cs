using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcomGo.ChatAgent.Tools;

namespace EcomGo.ChatAgent.Services;

/// <summary>
/// The assistant without a model: runs the same product and manufacturer search tools on the shopper's words (brand,
/// category, price bound and "on sale" are recognised; the other words become the search text) and answers from a template,
/// saying plainly that the AI assistant is offline.
/// </summary>
public sealed partial class NoLlmResponder(
    StorefrontCatalogClient catalog, RecommenderClient recommender, TurnEvidence evidence, ChatAgentOptions options,
    IReadOnlyList<ShopManufacturer> manufacturers)
{
    public const string OfflineNotice = "The AI assistant is offline right now, so I ran a plain catalog search on your words instead.";

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "for", "with", "of", "to", "in", "on", "at", "by", "from", "is", "are", "be", "do", "does",
        "i", "me", "my", "we", "you", "your", "it", "its", "this", "that", "these", "those", "what", "which", "who", "where", "how",
        "any", "some", "can", "could", "would", "should", "want", "need", "looking", "look", "find", "show", "tell", "about", "have",
        "has", "there", "please", "good", "best", "cheap", "cheapest", "sale", "deal", "deals", "discount", "discounted", "promotion",
        "promotions", "under", "below", "less", "than", "over", "above", "more", "up", "max", "maximum", "around", "price", "prices",
        "something", "anything", "recommend", "suggest", "buy", "get", "make", "makes", "made", "based", "they", "them", "their",
        "dollars", "usd", "much", "many", "one", "ones", "all", "like", "also", "too", "very", "really", "just", "s", "m",
    };

    public sealed record ParsedQuery(string? Text, ShopManufacturer? Manufacturer, decimal? MinPrice, decimal? MaxPrice, bool OnPromotion);

    public async Task RespondAsync(string message, ChatTurnService.TurnState turn, CancellationToken ct)
    {
        var query = Parse(message, manufacturers);
        var products = new ProductsPlugin(catalog, recommender, evidence, options, options.SemanticSearchMinScoreWithoutModel);
        var found = await SearchAsync(products, query, turn, ct);
        if (found.Count == 0 && query.Text is not null && (query.Manufacturer is not null || query.MaxPrice is not null || query.OnPromotion))
        {
            // The words may have been too specific: the filters alone still say something useful.
            found = await SearchAsync(products, query with { Text = null }, turn, ct);
        }

        ShopManufacturer? brand = null;
        if (query.Manufacturer is { } manufacturer)
        {
            var arguments = JsonSerializer.Serialize(new { name = manufacturer.Name }, JsonSerializerOptions.Web);
            turn.ToolStarted(ToolNames.SearchManufacturers, arguments);
            await new ManufacturersPlugin(catalog, evidence, options).SearchAsync(manufacturer.Name, null, ct);
            turn.ToolFinished(ToolNames.SearchManufacturers, arguments, null);
            brand = manufacturer;
        }

        var answer = new StringBuilder(OfflineNotice).Append("\n\n");
        if (brand is not null)
        {
            answer.Append(CultureInfo.InvariantCulture, $"**{brand.Name}** is based in {brand.Country} (founded {brand.Founded}) and has {brand.ProductCount} products in the shop.\n\n");
        }

        if (found.Count == 0)
        {
            answer.Append("I found no products matching your words. Try different words, or browse the catalog.");
        }
        else
        {
            answer.Append("Products matching your words:\n\n");
            foreach (var p in found)
            {
                answer.Append(CultureInfo.InvariantCulture, $"- [{p.Name}](/products/{p.Id}) by {p.ManufacturerName}: {Money(p.Price.Price)}");
                if (p.Price.Saving > 0)
                {
                    answer.Append(CultureInfo.InvariantCulture, $" (was {Money(p.Price.ListPrice)})");
                }

                answer.Append(p.Stock > 0 ? "\n" : ", out of stock\n");
            }
        }

        turn.Release(turn.Guard.Push(answer.ToString()));
    }

    private async Task<IReadOnlyList<ShopProduct>> SearchAsync(ProductsPlugin products, ParsedQuery query, ChatTurnService.TurnState turn, CancellationToken ct)
    {
        var arguments = JsonSerializer.Serialize(new
        {
            query = query.Text, manufacturer = query.Manufacturer?.Name, minPrice = query.MinPrice, maxPrice = query.MaxPrice,
            onPromotion = query.OnPromotion ? true : (bool?)null,
        }, new JsonSerializerOptions(JsonSerializerOptions.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        turn.ToolStarted(ToolNames.SearchProducts, arguments);
        try
        {
            using var result = JsonDocument.Parse(await products.SearchAsync(query.Text, null, query.Manufacturer?.Name, query.MinPrice, query.MaxPrice,
                query.OnPromotion ? true : null, null, null, ct));
            turn.ToolFinished(ToolNames.SearchProducts, arguments, null);
            // Keyword matches first, then those the Recommender found close in meaning (vague words find little by keyword).
            IEnumerable<JsonElement> listed = result.RootElement.GetProperty("products").EnumerateArray();
            if (result.RootElement.TryGetProperty("similarInMeaning", out var byMeaning))
            {
                listed = listed.Concat(byMeaning.EnumerateArray());
            }

            var ids = listed.Select(p => p.GetProperty("id").GetInt32()).ToHashSet();
            return evidence.Products.Where(p => ids.Contains(p.Id)).ToArray();
        }
        catch (Exception e) when (e is ToolArgumentException or ShopApiException)
        {
            turn.ToolFinished(ToolNames.SearchProducts, arguments, e.Message);
            return [];
        }
    }

    public static ParsedQuery Parse(string message, IReadOnlyList<ShopManufacturer> manufacturers)
    {
        var text = message;
        var manufacturer = manufacturers
            .OrderByDescending(m => m.Name.Length)
            .FirstOrDefault(m => Regex.IsMatch(text, $@"\b{Regex.Escape(m.Name)}\b", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)));
        if (manufacturer is not null)
        {
            text = Regex.Replace(text, $@"\b{Regex.Escape(manufacturer.Name)}\b", " ", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        }

        decimal? max = null, min = null;
        if (MaxPrice().Match(text) is { Success: true } maxMatch)
        {
            max = decimal.Parse(maxMatch.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
            text = text.Remove(maxMatch.Index, maxMatch.Length).Insert(maxMatch.Index, " ");
        }

        if (MinPrice().Match(text) is { Success: true } minMatch)
        {
            min = decimal.Parse(minMatch.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
            text = text.Remove(minMatch.Index, minMatch.Length).Insert(minMatch.Index, " ");
        }

        var onPromotion = OnSale().IsMatch(message);
        var words = Words().Matches(text).Select(m => m.Value)
            .Where(w => w.Length > 1 && !StopWords.Contains(w) && !w.All(char.IsDigit))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(8)
            .ToArray();
        // websearch syntax: "or" between words ranks products matching more of them first instead of requiring all.
        var search = words.Length == 0 ? null : string.Join(" or ", words.Select(Singular));
        return new ParsedQuery(search, manufacturer, min, max, onPromotion);
    }

    private static string Singular(string word) =>
        word.Length > 4 && word.EndsWith("ies", StringComparison.OrdinalIgnoreCase) ? word[..^3] + "y"
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.OrdinalIgnoreCase) ? word[..^1]
        : word;

    private static string Money(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    [GeneratedRegex(@"\b(?:under|below|less than|cheaper than|up to|max(?:imum)?|at most|within)\s*\$?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d{1,2})?)", RegexOptions.IgnoreCase)]
    private static partial Regex MaxPrice();

    [GeneratedRegex(@"\b(?:over|above|more than|at least|from)\s*\$?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d{1,2})?)", RegexOptions.IgnoreCase)]
    private static partial Regex MinPrice();

    [GeneratedRegex(@"\b(?:on sale|sale|deals?|discount(?:ed|s)?|promo(?:tion)?s?|reduced)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OnSale();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex Words();
}
