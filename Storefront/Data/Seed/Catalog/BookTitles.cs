namespace EcomGo.Storefront.Data.Seed.Catalog;

/// <summary>Hand-picked titles per genre (books don't follow the "brand + model + type" naming) plus fictional authors.</summary>
internal static class BookTitles
{
    public static readonly IReadOnlyDictionary<string, string[]> ByKind = new Dictionary<string, string[]>
    {
        ["Novel"] =
        [
            "The Lighthouse Keeper's Daughter", "Salt Road", "A Winter Orchard", "The Clockmaker of Ardmore", "What the Tide Left",
            "The Glasshouse Summer", "Small Hours in Lisbon", "The Beekeeper's Ledger", "Paper Boats", "Every House on Hollow Lane",
        ],
        ["Mystery Thriller"] =
        [
            "The Fog at Kettle Point", "Nine Keys to Marlow House", "A Quiet Drowning", "The Ferryman's Alibi", "Dead Reckoning at Saltcombe",
            "The Vanishing on Platform Four", "Cold Harbour", "The Last Guest at Ravenscar", "A Murder of Starlings", "The Cartographer's Lie",
        ],
        ["Cookbook"] =
        [
            "Thirty-Minute Suppers", "The Weeknight Pantry", "Slow Sundays: Recipes for Long Lunches", "One Pan, Many Ways", "The Bread Year",
            "Green Kitchen Table", "Salt, Smoke and Fire", "Little Plates for Big Gatherings", "The Allotment Cook", "Soups for Every Season",
        ],
        ["Hiking Guide"] =
        [
            "Coast Paths of the West: 40 Walks", "Highland Ridges: A Walker's Guide", "Pub Walks of the Dales", "Waterfalls and Woodlands",
            "Wild Camping Routes of the North", "The Lakeland Fells Companion", "Easy Family Walks Near the City", "Island Hops: Walks on the Western Isles",
        ],
        ["Children's Picture Book"] =
        [
            "Otto and the Very Big Puddle", "The Bear Who Couldn't Sleep", "Pip Finds a Star", "Grandma's Garden Rocket", "A Hat for Hedgehog",
            "The Tiny Tugboat", "Moonlight Picnic", "Where Do Snails Go on Holiday?", "Ruby's Rainy Day Parade", "The Dragon Who Loved Pancakes",
        ],
        ["Popular Science"] =
        [
            "The Hidden Life of Soil", "Why the Sky Is Not Blue on Mars", "Atoms in Your Tea Cup", "The Secret Physics of Running",
            "Brains, Habits and Breakfast", "The Clockwork Ocean", "How Bridges Stand Up", "A Short History of Light", "Microbes at the Dinner Table",
        ],
    };

    public static readonly string[] Authors =
    [
        "Imogen Farrell", "Tomasz Wielgus", "Adaeze Okafor", "Rafael Quintero", "Hana Sato", "Callum Reid", "Leila Haddad",
        "Mireille Dubois", "Owen Pritchard", "Sunita Rao", "Greta Lindqvist", "Declan Moriarty", "Yusuf Demir", "Marisol Vega",
        "Bridget Kavanagh", "Felix Hartmann", "Amara Nwosu", "Jonas Eklund", "Priyanka Desai", "Eleanor Whitcombe",
    ];

    /// <summary>A syntactically valid (check digit included) but fictional ISBN-13.</summary>
    public static string Isbn(Random rng)
    {
        var digits = new int[13];
        int[] prefix = [9, 7, 8, 1];
        prefix.CopyTo(digits, 0);
        for (var i = 4; i < 12; i++) digits[i] = rng.Next(10);
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += digits[i] * (i % 2 == 0 ? 1 : 3);
        digits[12] = (10 - sum % 10) % 10;
        var s = string.Concat(digits);
        return $"{s[..3]}-{s[3]}-{s[4..9]}-{s[9..12]}-{s[12]}";
    }
}
