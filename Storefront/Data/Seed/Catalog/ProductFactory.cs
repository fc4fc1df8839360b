using System.Globalization;
using EcomGo.Storefront.Data.Seed.Text;

namespace EcomGo.Storefront.Data.Seed.Catalog;

/// <summary>Hidden "truth" about a product that keeps reviews and ratings coherent (good products get better reviews).</summary>
internal enum ProductQuality { Poor, Average, Good }

/// <summary>A generated product plus the context the review and shopper generators need.</summary>
internal sealed record CatalogItem(
    SeedProduct Product,
    CategoryProfile Category,
    ProductKind Kind,
    ManufacturerProfile Maker,
    string Model,
    double Popularity,
    ProductQuality Quality)
{
    public int Id => Product.Id;
}

/// <summary>
/// Builds products: names (brand + model + type), realistic prices and stock, specs from the kind's templates,
/// and descriptions composed from several sentence structures. A <see cref="SentenceLedger"/> re-rolls any
/// sentence already used by a few products so descriptions don't read as copy-paste.
/// </summary>
internal sealed class ProductFactory(Random rng)
{
    private const int MaxSentenceReuse = 3;
    private readonly SentenceLedger _sentences = new(MaxSentenceReuse);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    // Suffixes that move the price up or down a bit so a "Pro" costs more than a "Lite".
    private static readonly (string Text, double Tier)[] Suffixes =
    [
        ("", 0.5), ("", 0.5), (" 2", 0.5), (" 3", 0.55), (" 4", 0.6), (" Pro", 0.85), (" Lite", 0.2), (" X", 0.7),
        (" Plus", 0.75), (" Max", 0.9), (" S", 0.45), (" Mini", 0.15), (" Evo", 0.65), (" Air", 0.35),
    ];

    // Consumables and books read oddly with "Pro"/"Max", so they only get neutral suffixes.
    private static readonly (string Text, double Tier)[] PlainSuffixes =
    [
        ("", 0.5), ("", 0.5), (" Reserve", 0.8), (" Classic", 0.45), (" Select", 0.6), (" Blend", 0.5),
    ];

    public List<CatalogItem> Build(IReadOnlyList<CategoryProfile> categories, IReadOnlyList<ManufacturerProfile> makers)
    {
        var items = new List<CatalogItem>();
        foreach (var category in categories)
        {
            var count = 28 + rng.Next(5); // 28-32 per category
            var brands = makers.Select((m, i) => (Maker: m, Id: i + 1))
                .Where(m => m.Maker.Categories.Contains(category.Id))
                .ToList();
            var models = new Queue<string>(rng.Shuffled(category.Models.Concat(category.Models)));
            var bookTitles = category.Id == CategoryProfiles.Books
                ? category.Kinds.ToDictionary(k => k.Noun, k => new Queue<string>(rng.Shuffled(BookTitles.ByKind[k.Noun])))
                : null;

            for (var i = 0; i < count; i++)
            {
                // Cycle through kinds so every kind is represented, starting at a random offset.
                var kind = category.Kinds[(i + category.Id) % category.Kinds.Count];
                // Main-line makers carry most of the range; secondary lines add a few products of kinds they plausibly make.
                var eligible = brands.Where(b => b.Maker.Sells(kind)).ToList();
                // Specialists (one or two kinds, e.g. a knife workshop) get a boost so they don't end up with a single product.
                var brand = eligible[rng.PickWeighted(eligible.Select(b =>
                    (b.Maker.Categories[0] == category.Id ? 4.0 : 1.0) * (b.Maker.Kinds?.Split(',').Length <= 2 ? 2.5 : 1.0)).ToList())];
                var id = items.Count + 1;
                var item = bookTitles is not null
                    ? CreateBook(id, category, kind, brand.Maker, brand.Id, bookTitles[kind.Noun])
                    : CreateProduct(id, category, kind, brand.Maker, brand.Id, models);
                if (item is not null) items.Add(item);
            }
        }
        return items;
    }

    private CatalogItem? CreateProduct(int id, CategoryProfile category, ProductKind kind, ManufacturerProfile maker, int makerId, Queue<string> models)
    {
        var plain = kind.MaxPrice < 40m;
        string model = "", name = "";
        var tier = 0.5;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (models.Count == 0) foreach (var m in rng.Shuffled(category.Models)) models.Enqueue(m);
            var baseModel = models.Dequeue();
            var suffix = rng.Pick(plain ? PlainSuffixes : Suffixes);
            // "Blend" only makes sense for coffee and tea.
            if (suffix.Text == " Blend" && category.Id != CategoryProfiles.CoffeeTea) suffix = ("", 0.5);
            model = baseModel + suffix.Text;
            tier = suffix.Tier;
            name = $"{maker.Brand} {model} {kind.Noun}";
            if (_names.Add(name)) break;
            name = "";
        }
        if (name.Length == 0) return null;

        var specs = BuildSpecs(kind);
        var price = PriceFor(kind, tier);
        var ctx = new DescriptionContext(name, maker.Brand, model, kind, category, specs, IsBook: false, Author: null);
        return Finish(id, name, ctx, price, category, kind, maker, makerId, model, specs);
    }

    private CatalogItem? CreateBook(int id, CategoryProfile category, ProductKind kind, ManufacturerProfile maker, int makerId, Queue<string> titles)
    {
        if (titles.Count == 0) return null;
        var title = titles.Dequeue();
        var author = rng.Pick(BookTitles.Authors);
        var specs = new Dictionary<string, string>(StringComparer.Ordinal) { ["Author"] = author };
        foreach (var (key, value) in BuildSpecs(kind)) specs[key] = value;
        specs["ISBN"] = BookTitles.Isbn(rng);
        var format = specs.TryGetValue("Format", out var f) ? f : "Paperback";
        var name = $"{title} ({format})";
        _names.Add(name);
        var ctx = new DescriptionContext(name, maker.Brand, title, kind, category, specs, IsBook: true, Author: author);
        return Finish(id, name, ctx, PriceFor(kind, format == "Hardcover" ? 0.75 : 0.35), category, kind, maker, makerId, title, specs);
    }

    private CatalogItem Finish(int id, string name, DescriptionContext ctx, decimal price, CategoryProfile category, ProductKind kind,
        ManufacturerProfile maker, int makerId, string model, Dictionary<string, string> specs)
    {
        var description = Describe(ctx);
        // ~12% of products carry their own markdown, the rest sell at list price.
        decimal discount = rng.Chance(0.12) ? rng.Pick([5m, 10m, 10m, 15m, 20m, 25m, 30m]) : 0m;
        var stockRoll = rng.NextDouble();
        var stock = stockRoll < 0.03 ? 0 : stockRoll < 0.13 ? rng.Next(1, 6) : rng.Next(8, 241);
        var qualityRoll = rng.NextDouble();
        var quality = qualityRoll < 0.6 ? ProductQuality.Good : qualityRoll < 0.9 ? ProductQuality.Average : ProductQuality.Poor;
        // Long-tail popularity: a few bestsellers, many quiet products.
        var popularity = 0.25 + Math.Pow(rng.NextDouble(), 2.2) * 4.0;

        var product = new SeedProduct(id, name, description, price, discount, stock, category.Id, makerId, specs);
        return new CatalogItem(product, category, kind, maker, model, popularity, quality);
    }

    private Dictionary<string, string> BuildSpecs(ProductKind kind)
    {
        var specs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in kind.Specs) specs[spec.Key] = SpecValue.Expand(spec.Value, rng);
        return specs;
    }

    private decimal PriceFor(ProductKind kind, double tier)
    {
        // Centre the price on the tier with some noise, then round to shop-like endings.
        var u = Math.Clamp(tier + (rng.NextDouble() - 0.5) * 0.5, 0, 1);
        var raw = kind.MinPrice + (kind.MaxPrice - kind.MinPrice) * (decimal)u;
        if (raw >= 100m) return Math.Round(raw / 10m, MidpointRounding.AwayFromZero) * 10m - 0.01m;
        var whole = Math.Floor(raw);
        return whole + (rng.Chance(0.25) ? 0.49m : 0.99m);
    }

    private sealed record DescriptionContext(
        string Name, string Brand, string Model, ProductKind Kind, CategoryProfile Category,
        IReadOnlyDictionary<string, string> Specs, bool IsBook, string? Author);

    // ---- Descriptions ---------------------------------------------------------------------------------

    private static readonly string[] IntroTemplates =
    [
        "The {Name} is {a_adj} {noun} made for {use}.",
        "{Brand} designed the {Model} with {use} in mind.",
        "Meet the {Model}, {BrandPos} {adj} take on {nounTake}.",
        "Built for {use}, the {Brand} {Model} is {a_adj} {noun} that doesn't cut corners.",
        "If you {aud}, the {Model} from {Brand} deserves a look.",
        "The {Model} is {BrandPos} answer to {use}: {a_adj} {noun} with no gimmicks.",
        "For {use}, {Brand} offers the {Model}, {a_adj} {noun} that earns its place.",
        "{Brand} set out to make {a_adj} {noun} for {use}, and the {Model} is the result.",
    ];

    private static readonly string[] BookIntroTemplates =
    [
        "{Model} is {a_adj} {noun} by {Author}.",
        "In {Model}, {Author} delivers {a_adj} {noun} that suits {use}.",
        "Published by {Publisher}, {Model} is {a_adj} {noun} from {Author}.",
        "{Model} by {Author} is exactly the kind of {adj} {noun} you want for {use}.",
        "{AuthorPos} {noun} {Model} is {adj} from the first page.",
        "If you {aud}, {AuthorPos} {Model} belongs on your shelf.",
    ];

    private static readonly string[] FeatureTemplates =
    [
        "It pairs {f1} with {f2}.",
        "Highlights include {f1} and {f2}.",
        "You get {f1}, plus {f2}.",
        "The standout detail is {f1}, backed up by {f2}.",
        "Look closer and you'll find {f1} and {f2}.",
        "{Brand} gave it {f1} and {f2}.",
        "Expect {f1} alongside {f2}.",
        "On top of {f1}, you get {f2}.",
        "Two details make the difference here: {f1} and {f2}.",
    ];

    private static readonly string[] BookFeatureTemplates =
    [
        "Expect {f1} alongside {f2}.",
        "Highlights include {f1} and {f2}.",
        "Readers get {f1}, plus {f2}.",
        "The standout is {f1}, with {f2} to match.",
        "Alongside {f1}, you'll find {f2}.",
    ];

    private static readonly string[] SpecTemplates2 =
    [
        "The {Model} {p1} and {p2}.",
        "It {p1}, and it {p2}.",
        "In numbers: it {p1} and {p2}.",
        "Spec highlights: it {p1} and {p2}.",
    ];

    private static readonly string[] SpecTemplates3 =
    [
        "The {Model} {p1}, {p2} and {p3}.",
        "For the spec-minded: it {p1}, {p2}, and {p3}.",
    ];

    private static readonly string[] ClosingTemplates =
    [
        "A smart pick if you {aud}.",
        "It handles {use} as comfortably as {use2}.",
        "{Brand} backs it with a {years}-year warranty.",
        "Great for {use}, and equally at home with {use2}.",
        "Worth a look if you {aud}.",
        "A good fit for {use} and {use2} alike.",
        "Order it ahead of {use} and you won't look back.",
        "It's covered by {BrandPos} {years}-year warranty, so you can use it hard.",
    ];

    private static readonly string[] BookClosingTemplates =
    [
        "A fine choice for {use}.",
        "Perfect for {use}, or for {use2}.",
        "Worth picking up if you {aud}.",
        "It makes an easy gift for anyone who loves {use}.",
    ];

    private string Describe(DescriptionContext ctx)
    {
        var sentences = new List<string>(4);
        Add(sentences, () => Intro(ctx));
        if (rng.Chance(0.85)) Add(sentences, () => Features(ctx));
        if (rng.Chance(0.7)) Add(sentences, () => SpecSentence(ctx));
        if (sentences.Count < 2 || (sentences.Count < 4 && rng.Chance(0.45))) Add(sentences, () => Closing(ctx));
        if (sentences.Count < 2) Add(sentences, () => Features(ctx));
        return string.Join(" ", sentences);
    }

    private void Add(List<string> sentences, Func<string?> make)
    {
        var sentence = _sentences.Take(() => make() ?? "", attempts: 25);
        if (!string.IsNullOrEmpty(sentence)) sentences.Add(sentence);
    }

    private Dictionary<string, string> Slots(DescriptionContext ctx)
    {
        var adj = rng.Pick(IsConsumable(ctx) ? ConsumableAdjectives[ctx.Category.Id] : ctx.Category.Adjectives);
        var (use, use2) = rng.PickTwo(ctx.Category.UseCases);
        var noun = ctx.IsBook ? ctx.Kind.Short : ProseNoun(ctx.Kind);
        var plural = noun.StartsWith("pair of ", StringComparison.Ordinal) || noun.StartsWith("set of ", StringComparison.Ordinal);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = ctx.Name,
            ["Brand"] = ctx.Brand,
            ["BrandPos"] = TextKit.Possessive(ctx.Brand),
            ["Publisher"] = ctx.Brand,
            ["Model"] = ctx.Model,
            ["Author"] = ctx.Author ?? "",
            ["AuthorPos"] = ctx.Author is null ? "" : TextKit.Possessive(ctx.Author),
            ["noun"] = noun,
            ["nounTake"] = plural ? noun[(noun.IndexOf(" of ", StringComparison.Ordinal) + 4)..] : "the " + noun,
            ["adj"] = adj,
            ["a_adj"] = TextKit.WithArticle(adj),
            ["use"] = use,
            ["use2"] = use2,
            ["aud"] = rng.Pick(ctx.Category.Audiences),
            ["years"] = rng.Pick(["two", "three", "five"]),
        };
    }

    private string Intro(DescriptionContext ctx)
    {
        var template = rng.Pick(ctx.IsBook ? BookIntroTemplates : IntroTemplates);
        return TextKit.Cap(TextKit.Fill(template, Slots(ctx)));
    }

    private string Features(DescriptionContext ctx)
    {
        var (f1, f2) = rng.PickTwo(ctx.Kind.Features);
        var slots = Slots(ctx);
        slots["f1"] = f1;
        slots["f2"] = f2;
        return TextKit.Cap(TextKit.Fill(rng.Pick(ctx.IsBook ? BookFeatureTemplates : FeatureTemplates), slots));
    }

    private string? SpecSentence(DescriptionContext ctx)
    {
        var phrases = ctx.Kind.Specs
            .Where(s => s.Phrase is not null && ctx.Specs.ContainsKey(s.Key))
            .Select(s => s.Phrase!.Replace("{v}", SoftLower(ctx.Specs[s.Key]), StringComparison.Ordinal))
            .ToList();
        if (phrases.Count < 2) return null;
        var chosen = rng.Shuffled(phrases);
        var slots = Slots(ctx);
        slots["p1"] = chosen[0];
        slots["p2"] = chosen[1];
        string template;
        if (chosen.Count >= 3 && rng.Chance(0.4))
        {
            slots["p3"] = chosen[2];
            template = rng.Pick(SpecTemplates3);
        }
        else
        {
            template = rng.Pick(SpecTemplates2);
        }
        if (ctx.IsBook) template = template.Replace("the {Model}", "{Model}", StringComparison.Ordinal).Replace("The {Model}", "{Model}", StringComparison.Ordinal);
        return TextKit.Cap(TextKit.Fill(template, slots));
    }

    private string Closing(DescriptionContext ctx)
    {
        var templates = ctx.IsBook ? BookClosingTemplates
            : IsConsumable(ctx) ? [.. ClosingTemplates.Where(t => !t.Contains("warranty", StringComparison.Ordinal))]
            : ClosingTemplates;
        return TextKit.Cap(TextKit.Fill(rng.Pick(templates), Slots(ctx)));
    }

    // Beans, tea and toiletries are used up, so no warranties and no "hard-wearing".
    private static bool IsConsumable(DescriptionContext ctx) =>
        ctx.Category.Id is CategoryProfiles.CoffeeTea or CategoryProfiles.BeautyCare && ctx.Kind.MaxPrice < 60m;

    private static readonly Dictionary<int, string[]> ConsumableAdjectives = new()
    {
        [CategoryProfiles.CoffeeTea] = ["smooth", "characterful", "small-batch", "aromatic", "well-balanced", "vibrant"],
        [CategoryProfiles.BeautyCare] = ["gentle", "clean-formula", "lightweight", "nourishing", "soothing", "fuss-free"],
    };

    /// <summary>The noun used in running prose: "pair of earbuds" for plurals, otherwise the lower-cased kind name.</summary>
    internal static string ProseNoun(ProductKind kind)
    {
        if (kind.Short.StartsWith("pair of ", StringComparison.Ordinal) || kind.Short.StartsWith("set of ", StringComparison.Ordinal))
            return kind.Short;
        return string.Join(' ', kind.Noun.Split(' ').Select(LowerWord));
    }

    // "Pour-Over" becomes "pour-over", while acronyms such as "USB-C" or "GPS" stay as they are.
    private static string LowerWord(string word) =>
        word.Count(char.IsUpper) >= 2 && !word.Contains('-', StringComparison.Ordinal) || word.StartsWith("USB", StringComparison.Ordinal)
            ? word
            : string.Join('-', word.Split('-').Select(SoftLower));

    /// <summary>Lower-cases the first letter unless the word is an acronym or proper noun ("GPS", "USB-C", "French", "27-inch").</summary>
    internal static string SoftLower(string word)
    {
        if (word.Length == 0) return word;
        if (word.Length > 1 && char.IsUpper(word[0]) && char.IsUpper(word[1])) return word;
        if (word.Length == 1 || word.All(c => !char.IsLetter(c) || char.IsUpper(c))) return word; // sizes such as "S" or "XL"
        if (word is "French" or "Japanese" or "German" or "English") return word;
        if (ProperPlaces.Contains(word)) return word;
        return char.ToLower(word[0], CultureInfo.InvariantCulture) + word[1..];
    }

    private static readonly HashSet<string> ProperPlaces = new(StringComparer.Ordinal)
    {
        "Ethiopia", "Colombia", "Guatemala", "Kenya", "Brazil", "Peru", "Rwanda", "Darjeeling", "Assam", "Yunnan", "Uji",
        "Nilgiri", "Sri", "Bluetooth", "Wi-Fi", "Zigbee", "Matter",
    };
}
