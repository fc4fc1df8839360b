using System.Globalization;
using EcomGo.Storefront.Data.Seed.Catalog;
using static EcomGo.Storefront.Data.Seed.Catalog.CategoryProfiles;

namespace EcomGo.Storefront.Data.Seed.Promotions;

/// <summary>
/// A fixed promotion calendar around "now": most campaigns are running, two have just ended and one
/// (Black Friday early access, ~3 weeks after the 2026-11-01 reference date) is upcoming. Targets cover
/// products, categories and manufacturers, and line up with the demo personas (outdoor, coffee, gaming).
/// </summary>
internal static class PromotionPlanner
{
    public static List<SeedPromotion> Build(IReadOnlyList<CatalogItem> catalog, IReadOnlyList<ManufacturerProfile> makers)
    {
        int Maker(string name) => makers.Select((m, i) => (m, i)).First(x => x.m.Name == name).i + 1;
        string CategoryName(int id) => Get(id).Name;

        // Deterministic product picks: the most popular product of a kind (ties broken by id).
        CatalogItem Top(string kindNoun, decimal minPrice) => catalog
            .Where(i => i.Kind.Noun == kindNoun && i.Product.Price >= minPrice)
            .OrderByDescending(i => i.Popularity).ThenBy(i => i.Id)
            .First();

        var espresso = Top("Espresso Machine", 400m);
        var headset = Top("Gaming Headset", 90m);
        var headphones = Top("Noise-Cancelling Headphones", 150m);
        var laptop = Top("Ultrabook Laptop", 900m);

        var promotions = new List<SeedPromotion>();
        void Add(string name, string description, DiscountKind kind, decimal amount, PromotionTarget target, int targetId, int starts, int ends) =>
            promotions.Add(new SeedPromotion(promotions.Count + 1, name, description, kind, amount, target, targetId, starts, ends));

        // Active now.
        Add("Trail Season Sale", $"15% off everything in {CategoryName(OutdoorCamping)}: tents, sleeping bags, packs and stoves for autumn trips.",
            DiscountKind.Percentage, 15m, PromotionTarget.Category, OutdoorCamping, -6, 14);
        Add("Coffee Lovers' Week", $"10% off all {CategoryName(CoffeeTea)}, from fresh beans and loose-leaf tea to grinders and espresso machines.",
            DiscountKind.Percentage, 10m, PromotionTarget.Category, CoffeeTea, -2, 5);
        Add("Stridewell Winter Miles", "20% off the full Stridewell range to keep you running through the darker months.",
            DiscountKind.Percentage, 20m, PromotionTarget.Manufacturer, Maker("Stridewell"), -10, 20);
        Add("Game On Weekend", $"{Money(25m)} off the {headset.Product.Name} this weekend only.",
            DiscountKind.FixedAmount, 25m, PromotionTarget.Product, headset.Id, -1, 2);
        Add("Espresso Upgrade", $"{Money(75m)} off the {espresso.Product.Name} for anyone ready to move on from pods.",
            DiscountKind.FixedAmount, 75m, PromotionTarget.Product, espresso.Id, -4, 10);
        Add("Cosy Pets Event", "12% off Barkridge Pet Co. beds, feeders and toys while the evenings draw in.",
            DiscountKind.Percentage, 12m, PromotionTarget.Manufacturer, Maker("Barkridge Pet Co."), -3, 11);
        Add("Smart Home Starter", $"20% off {CategoryName(SmartHome)}: plugs, bulbs, cameras and thermostats to get you started.",
            DiscountKind.Percentage, 20m, PromotionTarget.Category, SmartHome, -8, 6);
        Add("Quiet Commute Deal", $"{Money(40m)} off the {headphones.Product.Name}, our favourite pair for trains and planes.",
            DiscountKind.FixedAmount, 40m, PromotionTarget.Product, headphones.Id, -5, 9);
        Add("Readers' Autumn", $"20% off every title in {CategoryName(Books)} for long evenings with a good book.",
            DiscountKind.Percentage, 20m, PromotionTarget.Category, Books, -12, 18);

        // Recently ended.
        Add("Summer Garden Clearance", $"30% off {CategoryName(Garden)} to clear summer stock.",
            DiscountKind.Percentage, 30m, PromotionTarget.Category, Garden, -75, -45);
        Add("Back to School Tech", $"{Money(100m)} off the {laptop.Product.Name} for students heading back to class.",
            DiscountKind.FixedAmount, 100m, PromotionTarget.Product, laptop.Id, -70, -50);

        // Coming up: Black Friday 2026 is 27 November, 26 days after the reference date.
        Add("Black Friday Early Access", "25% off all Corvane Systems laptops and monitors, a week before Black Friday.",
            DiscountKind.Percentage, 25m, PromotionTarget.Manufacturer, Maker("Corvane Systems"), 20, 31);

        return promotions;
    }

    private static string Money(decimal amount) => "$" + amount.ToString("0", CultureInfo.InvariantCulture);
}
