using EcomGo.Storefront.Data.Seed.Catalog;
using EcomGo.Storefront.Data.Seed.Text;
using static EcomGo.Storefront.Data.Seed.Catalog.CategoryProfiles;

namespace EcomGo.Storefront.Data.Seed.Shoppers;

/// <summary>A demo shopper plus the tastes their history is generated from.</summary>
/// <param name="Focus">Share of browsing spent in favourite categories (personas are more focused so demos are obvious).</param>
/// <param name="AnchorKinds">Product kinds a persona has definitely bought (e.g. "Trail Running Shoe"), so demos are predictable.</param>
internal sealed record ShopperProfile(SeedShopper Shopper, int[] FavouriteCategories, int? FavouriteManufacturerId, double Focus,
    IReadOnlyList<string> AnchorKinds)
{
    public bool IsPersona => AnchorKinds.Count > 0;
}

/// <summary>
/// Demo shoppers. The first three are hand-made, sharply contrasting personas for recommendation demos
/// (runner/outdoor, coffee/kitchen, gamer/tech); the rest get deterministic random tastes.
/// </summary>
internal static class ShopperRoster
{
    public const string EmailDomain = "demo.ecomgo.local";

    private sealed record Persona(string First, string Last, int[] Categories, string? FavouriteMaker, string Taste, string[] Anchors);

    private static readonly Persona[] Personas =
    [
        new("Ava", "Chen", [RunningFitness, OutdoorCamping, Cycling], "Stridewell",
            "runner and weekend hiker: running shoes and watches, tents and trail kit, some cycling; fan of Stridewell",
            ["Trail Running Shoe", "GPS Running Watch", "Backpacking Tent", "Headlamp"]),
        new("Marco", "Rossi", [CoffeeTea, KitchenCooking], "Ember & Crema",
            "coffee nerd and home cook: espresso gear, grinders, fresh beans, knives and pans; fan of Ember & Crema",
            ["Espresso Machine", "Burr Grinder", "Whole Bean Coffee", "Chef's Knife"]),
        new("Kenji", "Watanabe", [Gaming, LaptopsComputing, Headphones], "Pixelforge Gear",
            "PC gamer and tech enthusiast: gaming mice and headsets, laptops, monitors, noise-cancelling headphones; fan of Pixelforge Gear",
            ["Gaming Mouse", "Gaming Headset", "27-inch Monitor", "Noise-Cancelling Headphones"]),
        new("Priya", "Nair", [PetSupplies, Garden], "Pawsmith",
            "dog and cat owner, allotment gardener: pet beds, toys and feeders, pruning tools, raised beds; fan of Pawsmith",
            ["Orthopedic Dog Bed", "Dog Chew Toy", "Pruning Shears"]),
        new("Sofia", "Alvarez", [Books, BeautyCare, CoffeeTea], null,
            "bookworm with a skincare routine: novels and cookbooks, serums, loose-leaf tea",
            ["Novel", "Vitamin C Serum", "Loose Leaf Tea"]),
    ];

    private static readonly (string First, string Last)[] OtherNames =
    [
        ("Liam", "O'Connor"), ("Fatima", "Benali"), ("Noah", "Schmidt"), ("Amara", "Okoye"), ("Lucas", "Ferreira"), ("Hannah", "Kowalski"),
        ("Ethan", "Brooks"), ("Mei", "Zhou"), ("Oliver", "Hughes"), ("Isabella", "Moretti"), ("Yusuf", "Kaya"), ("Chloe", "Dubois"),
        ("Arjun", "Mehta"), ("Grace", "Mensah"), ("Mateo", "Garcia"), ("Emily", "Thompson"), ("Daniel", "Cohen"), ("Aisha", "Rahman"),
        ("Jack", "Wilson"), ("Sakura", "Tanaka"), ("Samuel", "Adeyemi"), ("Lena", "Fischer"), ("Diego", "Hernandez"), ("Nora", "Lindqvist"),
        ("Kwame", "Asante"), ("Olivia", "Martin"), ("Ravi", "Sharma"), ("Elena", "Popescu"), ("Finn", "Murphy"), ("Zara", "Ahmed"),
        ("Henrik", "Larsen"), ("Maya", "Patel"), ("Jonas", "Weber"), ("Leila", "Karimi"), ("Thomas", "Nguyen"), ("Ines", "Costa"),
        ("Samir", "Haddad"), ("Ruby", "Evans"), ("Tariq", "Hussain"), ("Anna", "Novak"), ("Ben", "Carter"), ("Yara", "Silva"),
        ("Aditya", "Rao"), ("Clara", "Jensen"), ("Marcus", "Johnson"), ("Sienna", "Walsh"), ("Hiroshi", "Mori"), ("Amelia", "Scott"),
        ("Ibrahim", "Diallo"), ("Freya", "MacLeod"), ("Carlos", "Mendoza"),
    ];

    public static List<ShopperProfile> Build(IReadOnlyList<CategoryProfile> categories, IReadOnlyList<ManufacturerProfile> makers, Random rng)
    {
        var result = new List<ShopperProfile>();
        int MakerId(string name) => makers.Select((m, i) => (m, i)).First(x => x.m.Name == name).i + 1;

        foreach (var p in Personas)
        {
            var id = result.Count + 1;
            var shopper = new SeedShopper(id, UserName(p.First, p.Last), $"{p.First} {p.Last}", SeedData.DemoPassword, p.Taste);
            result.Add(new ShopperProfile(shopper, p.Categories, p.FavouriteMaker is null ? null : MakerId(p.FavouriteMaker), Focus: 0.9, p.Anchors));
        }

        // Everyone else: 2-3 distinct favourite categories (no two shoppers share the exact same set) and sometimes a favourite maker.
        var usedSets = new HashSet<string>(result.Select(r => SetKey(r.FavouriteCategories)), StringComparer.Ordinal);
        foreach (var (first, last) in OtherNames)
        {
            int[] favourites;
            do
            {
                favourites = [.. rng.Shuffled(categories.Select(c => c.Id)).Take(rng.Chance(0.55) ? 2 : 3)];
            }
            while (!usedSets.Add(SetKey(favourites)));

            int? favouriteMaker = null;
            if (rng.Chance(0.5))
            {
                var candidates = makers.Select((m, i) => (m, Id: i + 1)).Where(x => x.m.Categories[0] == favourites[0]).ToList();
                if (candidates.Count > 0) favouriteMaker = rng.Pick(candidates).Id;
            }

            var taste = string.Join(", ", favourites.Select(id => categories[id - 1].TasteLabel));
            if (favouriteMaker is int fm) taste += $"; fan of {makers[fm - 1].Name}";
            var id = result.Count + 1;
            var shopper = new SeedShopper(id, UserName(first, last), $"{first} {last}", SeedData.DemoPassword, taste);
            result.Add(new ShopperProfile(shopper, favourites, favouriteMaker, Focus: 0.72 + rng.NextDouble() * 0.15, AnchorKinds: []));
        }
        return result;
    }

    private static string SetKey(int[] ids) => string.Join(',', ids.OrderBy(i => i));

    private static string UserName(string first, string last) =>
        $"{Clean(first)}.{Clean(last)}@{EmailDomain}";

    private static string Clean(string s) => new(s.ToLowerInvariant().Where(char.IsLetter).ToArray());
}
