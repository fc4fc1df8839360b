using System.Globalization;
using System.Text;

namespace EcomGo.Storefront.Data.Seed.Catalog;

/// <summary>
/// A spec line for a product kind. <see cref="Value"/> is a tiny template:
/// <c>{240..320}</c> = integer range, <c>{0.5..2.5/0.1}</c> = decimal range with step,
/// <c>{Mesh|Knit}</c> = choice. <see cref="Phrase"/> (optional) weaves the value into prose,
/// e.g. "weighs {v}" becomes "weighs 280 g".
/// </summary>
internal sealed record SpecTemplate(string Key, string Value, string? Phrase);

/// <summary>A kind of product inside a category (e.g. "Trail Running Shoe") with its own specs and selling points.</summary>
/// <param name="Noun">Used in product names ("Trail Running Shoe").</param>
/// <param name="Short">Singular noun used in prose and reviews ("trail shoe", "pair of earbuds").</param>
/// <param name="Aspects">Names of the category review aspects that make sense for this kind; empty = all.</param>
/// <param name="Features">Noun phrases with their article ("a grippy 5 mm lug outsole").</param>
internal sealed record ProductKind(
    string Noun,
    string Short,
    decimal MinPrice,
    decimal MaxPrice,
    IReadOnlyList<string> Aspects,
    IReadOnlyList<SpecTemplate> Specs,
    IReadOnlyList<string> Features);

/// <summary>
/// Something reviewers talk about, as clauses that can stand alone or be joined
/// ("the fit is true to size" / "the heel slips on steep climbs").
/// </summary>
internal sealed record ReviewAspect(string Name, IReadOnlyList<string> Good, IReadOnlyList<string> Bad, IReadOnlyList<string> Meh);

/// <summary>Per-category vocabulary for names, descriptions and reviews.</summary>
/// <param name="UseCases">Noun phrases that follow "for" ("long weekend runs").</param>
/// <param name="Audiences">Verb phrases that follow "if you" ("log most of your miles on pavement").</param>
/// <param name="Failures">Past-tense failure phrases for sarcastic and negative reviews ("split at the toe seam").</param>
internal sealed record CategoryProfile(
    int Id,
    string Name,
    string Slug,
    string Description,
    IReadOnlyList<ProductKind> Kinds,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> UseCases,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<ReviewAspect> Aspects,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> Adjectives,
    string TasteLabel)
{
    public IReadOnlyList<ReviewAspect> AspectsFor(ProductKind kind) =>
        kind.Aspects.Count == 0 ? Aspects : Aspects.Where(a => kind.Aspects.Contains(a.Name)).ToList();
}

/// <summary>Expands <see cref="SpecTemplate.Value"/> templates.</summary>
internal static class SpecValue
{
    public static string Expand(string template, Random rng)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            var close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            sb.Append(ExpandToken(template.Substring(open + 1, close - open - 1), rng));
            i = close + 1;
        }
        return sb.ToString();
    }

    private static string ExpandToken(string token, Random rng)
    {
        if (token.Contains('|'))
        {
            var options = token.Split('|');
            return options[rng.Next(options.Length)];
        }

        var range = token.Split("..");
        var step = 1m;
        var hiText = range[1];
        var slash = hiText.IndexOf('/');
        if (slash >= 0)
        {
            step = decimal.Parse(hiText[(slash + 1)..], CultureInfo.InvariantCulture);
            hiText = hiText[..slash];
        }
        var lo = decimal.Parse(range[0], CultureInfo.InvariantCulture);
        var hi = decimal.Parse(hiText, CultureInfo.InvariantCulture);
        var steps = (int)((hi - lo) / step);
        var value = lo + step * rng.Next(steps + 1);
        return step < 1 ? value.ToString(step < 0.1m ? "0.00" : "0.0", CultureInfo.InvariantCulture)
                        : value.ToString("0", CultureInfo.InvariantCulture);
    }
}

/// <summary>Terse builders so the vocabulary files read like data.</summary>
internal static class ProfileDsl
{
    public static SpecTemplate S(string key, string value, string? phrase = null) => new(key, value, phrase);

    public static ProductKind K(string noun, string shortNoun, decimal min, decimal max, string aspects,
        SpecTemplate[] specs, params string[] features) =>
        new(noun, shortNoun, min, max,
            aspects.Length == 0 ? [] : aspects.Split(',', StringSplitOptions.TrimEntries),
            specs, features);

    public static ReviewAspect A(string name, string[] good, string[] bad, string[] meh) => new(name, good, bad, meh);

    public static readonly string[] DefaultRecipients =
    [
        "my partner", "my dad", "my mum", "my sister", "my brother", "a friend", "my teenage son",
        "my daughter", "my husband", "my wife", "a coworker", "my flatmate",
    ];

    public static readonly string[] DefaultAdjectives =
    [
        "versatile", "dependable", "well-built", "no-nonsense", "thoughtfully designed", "refined",
        "easygoing", "hard-wearing", "clever", "capable", "polished", "practical", "understated", "sturdy",
    ];
}
