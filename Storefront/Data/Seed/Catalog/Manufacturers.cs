using static EcomGo.Storefront.Data.Seed.Catalog.CategoryProfiles;

namespace EcomGo.Storefront.Data.Seed.Catalog;

/// <summary>A fictional maker with the categories it sells in (first = main line, with the most products).</summary>
/// <param name="Kinds">Comma-separated kind nouns this maker actually makes, matching its description (null = any kind in its categories).</param>
internal sealed record ManufacturerProfile(string Name, string Country, int Founded, string Description, int[] Categories, string? Kinds = null)
{
    /// <summary>Whether this maker plausibly sells <paramref name="kind"/>; keeps a tea house from selling espresso machines.</summary>
    public bool Sells(ProductKind kind) =>
        Kinds is null || Kinds.Split(',', StringSplitOptions.TrimEntries).Contains(kind.Noun);

    public string Slug => new(Name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
    public string Website => $"https://www.{Slug}.example";

    /// <summary>The name as it appears in product names: "Lantern Hill Roasters" becomes "Lantern Hill".</summary>
    public string Brand
    {
        get
        {
            foreach (var suffix in CorporateSuffixes)
            {
                if (Name.EndsWith(" " + suffix, StringComparison.Ordinal)) return Name[..^(suffix.Length + 1)];
            }
            return Name;
        }
    }

    // Longest first so "Pet Co." wins over "Co.".
    private static readonly string[] CorporateSuffixes =
    [
        "Garden Co.", "Pet Co.", "Tea House", "Skin Lab", "Outfitters", "Athletics", "Cycles", "Components", "Kitchenworks",
        "Cutlery", "Roasters", "Acoustics", "Audio", "Labs", "Sound", "Systems", "Computing", "Gear", "Peripherals", "Home",
        "Press", "Books", "Publishing", "Toys", "Games", "Playthings", "Tools", "Apothecary",
    ];
}

/// <summary>
/// Forty-five invented manufacturers. Names were chosen to avoid real brands; every description is hand-written
/// so the manufacturer pages don't read as generated.
/// </summary>
internal static class Manufacturers
{
    public static readonly IReadOnlyList<ManufacturerProfile> All =
    [
        // Running & Fitness
        new("Stridewell", "United Kingdom", 2009,
            "Stridewell started in a Leeds running club, where two coaches began re-lasting shoes for athletes with awkward feet. " +
            "The company still tests every model on the same canal towpath loop before it goes on sale. " +
            "Its shoes are known for generous toe boxes and conservative, durable foams.",
            [RunningFitness, OutdoorCamping], "Road Running Shoe,Trail Running Shoe,Hydration Vest,Foam Roller,Insulated Jacket,Hiking Backpack"),
        new("Pacelark", "New Zealand", 2014,
            "Pacelark builds lightweight running watches and hydration gear in Christchurch. " +
            "The founders were ultra-distance runners who got tired of watches dying before the finish line, so battery life comes first in every design.",
            [RunningFitness, Cycling], "GPS Running Watch,Hydration Vest,Bike Light Set,Multi-Tool"),
        new("Kinetra Athletics", "Germany", 1987,
            "Kinetra Athletics began as a supplier of gymnastics mats to Bavarian schools and moved into home fitness in the 2000s. " +
            "The brand favours steel, natural rubber and simple mechanisms that can be repaired rather than replaced. " +
            "Spare parts for its dumbbells are stocked for at least ten years.",
            [RunningFitness], "Foam Roller,Yoga Mat,Adjustable Dumbbell"),

        // Outdoor & Camping
        new("Fernhollow Outfitters", "Canada", 1978,
            "Fernhollow Outfitters was founded by a canoe guide in northern Ontario who sewed his first tents on a kitchen table. " +
            "Today it makes tents, packs and sleeping bags for long, wet trips. " +
            "Every product carries a lifetime repair promise, and the Thunder Bay workshop still patches gear sent in by customers.",
            [OutdoorCamping, RunningFitness], "Backpacking Tent,Sleeping Bag,Hiking Backpack,Hydration Vest"),
        new("Granitejay", "United States", 2011,
            "Granitejay is a Colorado company that makes ultralight stoves, headlamps and insulated layers. " +
            "Its designers are climbers who obsess over grams, but the company refuses to use fabrics it can't recycle at end of life.",
            [OutdoorCamping, Cycling], "Camping Stove,Headlamp,Insulated Jacket,Bike Light Set,Bike Lock"),
        new("Tundravik", "Norway", 1962,
            "Tundravik has equipped polar expeditions since the 1960s and still sews its expedition sleeping bags in Trondheim. " +
            "The brand is known for heavy-duty fabrics and conservative temperature ratings. " +
            "Its down is traceable to individual farms.",
            [OutdoorCamping], "Sleeping Bag,Backpacking Tent,Insulated Jacket,Hiking Backpack"),

        // Cycling
        new("Spokeline Cycles", "Netherlands", 1994,
            "Spokeline Cycles grew out of a Utrecht repair shop that specialised in keeping commuter bikes running through Dutch winters. " +
            "The company makes lights, locks and tools aimed at riders who cycle every day rather than on weekends only.",
            [Cycling], "Bike Light Set,Bike Lock,Multi-Tool"),
        new("Velomonte", "Italy", 1971,
            "Velomonte is a family business from the hills above Bergamo that has made cycling clothing for three generations. " +
            "Its jerseys are cut and sewn in Italy from fabrics knitted within a day's ride of the factory. " +
            "The company sponsors a women's amateur team every season.",
            [Cycling, RunningFitness], "Cycling Jersey,Road Helmet,Hydration Vest"),
        new("Chainfern Components", "Taiwan", 2003,
            "Chainfern Components started as a contract manufacturer for other brands before launching its own line of trainers and helmets. " +
            "Engineering-led and unflashy, it publishes full test data for every product on its website.",
            [Cycling], "Smart Bike Trainer,Road Helmet,Multi-Tool"),

        // Kitchen & Cooking
        new("Brassleaf Kitchenworks", "United States", 1956,
            "Brassleaf Kitchenworks has poured cast iron in the same Ohio foundry since the 1950s. " +
            "The company added kettles and stand mixers in the 1990s but still seasons every skillet by hand before it ships. " +
            "Many of its pans are handed down between generations.",
            [KitchenCooking, CoffeeTea], "Cast Iron Skillet,Nonstick Frying Pan Set,Electric Kettle,Stand Mixer,Air Fryer,Pour-Over Kettle,French Press"),
        new("Maison Vellard", "France", 1923,
            "Maison Vellard started as a coppersmith in Lyon and now makes cookware and small appliances for home cooks. " +
            "The brand is built around classic French technique, and its recipe booklets are written by working restaurant chefs.",
            [KitchenCooking]),
        new("Hoshimura Cutlery", "Japan", 1948,
            "Hoshimura Cutlery is a knife workshop in Seki where blades are still sharpened by hand on water stones. " +
            "It was founded by a former sword polisher and has trained more than forty apprentices since. " +
            "Each knife is stamped with the initials of the craftsperson who finished it.",
            [KitchenCooking], "Chef's Knife"),

        // Coffee & Tea
        new("Ember & Crema", "Italy", 2001,
            "Ember & Crema builds espresso machines and grinders in a small workshop outside Turin. " +
            "The founders came from industrial boiler engineering, which explains the obsession with temperature stability. " +
            "Machines are designed to be serviced at home with ordinary tools.",
            [CoffeeTea, KitchenCooking], "Espresso Machine,Burr Grinder,Pour-Over Kettle,French Press,Electric Kettle,Stand Mixer"),
        new("Lantern Hill Roasters", "United States", 2012,
            "Lantern Hill Roasters is a Portland roastery that buys directly from around thirty farms and publishes the price it pays for each lot. " +
            "Beans are roasted on a restored 1970s drum roaster and shipped within forty-eight hours.",
            [CoffeeTea], "Whole Bean Coffee,French Press,Pour-Over Kettle"),
        new("Oriel Tea House", "United Kingdom", 1889,
            "Oriel Tea House opened as a blending room on a Bristol dockside in the 1880s. " +
            "It now sources single-estate teas from India, Sri Lanka, China and Japan, and still tastes every batch at the original marble counter. " +
            "Its brewing gear is designed with the tea in mind rather than the other way round.",
            [CoffeeTea], "Loose Leaf Tea,French Press,Pour-Over Kettle"),

        // Home Audio
        new("Sonavel Acoustics", "Denmark", 1968,
            "Sonavel Acoustics was founded by a radio engineer in Aarhus who believed good speakers belonged in ordinary living rooms. " +
            "The company is known for warm, unfatiguing sound and cabinets finished in real wood veneer.",
            [HomeAudio, Headphones], "Bookshelf Speakers,Soundbar,Portable Bluetooth Speaker,Noise-Cancelling Headphones,Studio Monitor Headphones"),
        new("Larkspur Audio", "United Kingdom", 1982,
            "Larkspur Audio makes amplifiers and turntables in a converted mill in Yorkshire. " +
            "It designs for longevity: most of its amplifiers from the 1980s can still be serviced at the factory. " +
            "Firmware is updated for years after a product is discontinued.",
            [HomeAudio], "Stereo Amplifier,Turntable,Bookshelf Speakers"),
        new("Quietwave Labs", "United States", 2016,
            "Quietwave Labs is a Boston start-up spun out of a university acoustics lab. " +
            "It builds soundbars and portable speakers that use room-measuring microphones to tune themselves automatically.",
            [HomeAudio], "Soundbar,Portable Bluetooth Speaker"),

        // Headphones
        new("Auricle Nine", "United States", 2013,
            "Auricle Nine was started by two studio engineers who wanted headphones that sounded like their mixing room. " +
            "The company still tunes every model against the same pair of reference monitors. " +
            "It offers replacement pads, cables and batteries for all current products.",
            [Headphones, Gaming], "Noise-Cancelling Headphones,True Wireless Earbuds,Sport Earphones,Studio Monitor Headphones,Gaming Headset"),
        new("Hushpoint", "Sweden", 2015,
            "Hushpoint designs noise-cancelling headphones and earbuds in Gothenburg. " +
            "Its products are minimalist in design and focus on comfort for long journeys, and the brand runs a take-back scheme for worn-out earbuds.",
            [Headphones], "Noise-Cancelling Headphones,True Wireless Earbuds,Sport Earphones"),
        new("Tenori Sound", "Japan", 1979,
            "Tenori Sound began by making broadcast microphones for Japanese radio stations. " +
            "Its headphones keep that heritage with a neutral, revealing tuning. " +
            "Studio monitors from Tenori are a common sight in small recording studios across Asia.",
            [Headphones, HomeAudio], "Studio Monitor Headphones,Noise-Cancelling Headphones,True Wireless Earbuds,Bookshelf Speakers,Stereo Amplifier"),

        // Laptops & Computing
        new("Corvane Systems", "Taiwan", 1998,
            "Corvane Systems designs laptops and monitors from its headquarters in Hsinchu. " +
            "The company made its name with business laptops that survived drop tests, and it still publishes repair manuals for every model.",
            [LaptopsComputing, Gaming], "Ultrabook Laptop,27-inch Monitor,USB-C Docking Station,Mechanical Gaming Keyboard,Gaming Mouse"),
        new("Brightlattice", "United States", 2010,
            "Brightlattice makes keyboards, mice and docking stations for people who work at a desk all day. " +
            "Its products are designed with occupational therapists, and the company is known for long firmware support.",
            [LaptopsComputing], "Mechanical Keyboard,Wireless Mouse,USB-C Docking Station"),
        new("Nordkraft Computing", "Finland", 2005,
            "Nordkraft Computing builds quiet, efficient laptops in Oulu and powers its factory entirely with renewable energy. " +
            "Its machines ship with minimal pre-installed software. " +
            "Nordkraft offers a battery replacement service for the life of the laptop.",
            [LaptopsComputing], "Ultrabook Laptop,USB-C Docking Station"),

        // Gaming
        new("Pixelforge Gear", "South Korea", 2012,
            "Pixelforge Gear started by sponsoring a Seoul esports team and designing mice to the players' specifications. " +
            "The company still tests new products with professional players before launch.",
            [Gaming, LaptopsComputing], "Gaming Mouse,Mechanical Gaming Keyboard,Gaming Headset,Streaming Webcam,Wireless Mouse,Mechanical Keyboard"),
        new("Rampart Peripherals", "United States", 2008,
            "Rampart Peripherals makes gaming chairs, headsets and controllers from a base in Austin, Texas. " +
            "It is known for chunky, over-engineered designs and generous warranties. " +
            "Its community forum is run by the engineers themselves.",
            [Gaming], "Gaming Chair,Gaming Headset,Wireless Controller"),
        new("Vektor Nine", "Poland", 2017,
            "Vektor Nine is a Kraków studio that builds mechanical keyboards and streaming cameras for enthusiasts. " +
            "It open-sources its keyboard firmware and sells spare switches by the handful.",
            [Gaming, LaptopsComputing], "Mechanical Gaming Keyboard,Streaming Webcam,Mechanical Keyboard"),

        // Smart Home
        new("Hearthlink", "Netherlands", 2015,
            "Hearthlink makes thermostats, plugs and sensors that work locally without a cloud account. " +
            "The Eindhoven company was an early supporter of open smart home standards. " +
            "Devices keep working even if the company's servers are switched off.",
            [SmartHome, HomeAudio], "Smart Thermostat,Smart Plug,Video Doorbell,Portable Bluetooth Speaker"),
        new("Lumora Home", "Spain", 2018,
            "Lumora Home designs smart lighting and cameras in Valencia. " +
            "It focuses on simple setup and pleasant colour rendering, and all cameras store footage locally by default.",
            [SmartHome], "Smart Bulb,Indoor Security Camera,Video Doorbell"),
        new("Dwellbright", "Canada", 2013,
            "Dwellbright builds robot vacuums and video doorbells for harsh Canadian winters. " +
            "Its doorbells are tested at minus thirty degrees. " +
            "The company offers free battery replacements for the first three years.",
            [SmartHome], "Robot Vacuum,Video Doorbell,Indoor Security Camera"),

        // Books
        new("Inkwell & Thistle Press", "United Kingdom", 1952,
            "Inkwell & Thistle Press is an independent Edinburgh publisher of literary fiction and crime. " +
            "It has championed debut novelists for seven decades, and every book is printed on FSC-certified paper in Scotland.",
            [Books], "Novel,Mystery Thriller"),
        new("Marrow Lane Books", "United States", 1996,
            "Marrow Lane Books publishes cookbooks and popular science from a converted warehouse in Minneapolis. " +
            "Its cookbooks are tested by volunteer home cooks before publication. " +
            "The press is known for generous design and lay-flat bindings.",
            [Books], "Cookbook,Popular Science"),
        new("Saltmarsh Publishing", "Ireland", 2004,
            "Saltmarsh Publishing is a small Galway house specialising in walking guides and illustrated children's books. " +
            "Its guidebook authors walk every route themselves, usually more than once.",
            [Books], "Hiking Guide,Children's Picture Book"),

        // Toys & Games
        new("Tumblewick Toys", "Germany", 1958,
            "Tumblewick Toys has made wooden toys in the Ore Mountains for more than sixty years. " +
            "Every piece is cut from sustainably managed beech and finished with water-based paint. " +
            "The company repairs broken toys for free.",
            [ToysGames], "Wooden Train Set"),
        new("Brightbarrow Games", "United States", 2014,
            "Brightbarrow Games is a board game publisher from Providence that started with a crowdfunding campaign. " +
            "It focuses on strategy games that teach in under fifteen minutes and play in under an hour.",
            [ToysGames], "Strategy Board Game,Family Card Game"),
        new("Oakmoss Playthings", "Czech Republic", 1991,
            "Oakmoss Playthings makes jigsaw puzzles, building sets and remote control cars in Brno. " +
            "The company commissions artwork from local illustrators for its puzzles. " +
            "Its building sets are compatible with the standard stud system.",
            [ToysGames], "Jigsaw Puzzle,Building Blocks Set,Remote Control Car"),

        // Garden
        new("Thornbury Garden Co.", "United Kingdom", 1931,
            "Thornbury Garden Co. started as a blacksmith forging spades for Gloucestershire farms. " +
            "It still forges hand tools in the same village and now also makes hoses and raised beds for small gardens.",
            [Garden], "Pruning Shears,Expanding Garden Hose,Raised Garden Bed"),
        new("Verdant Spade", "United States", 2016,
            "Verdant Spade designs cordless garden tools and solar lighting in Oregon. " +
            "The company shares batteries across its entire range, so one charger runs the whole shed. " +
            "Its compost bins are made from recycled plastic collected on the West Coast.",
            [Garden], "Cordless Hedge Trimmer,Solar Garden Lights,Compost Bin"),
        new("Rootsmith Tools", "Austria", 1899,
            "Rootsmith Tools is a fourth-generation toolmaker in the Styrian hills. " +
            "It is best known for pruning shears with hand-ground blades, and every tool comes with a sharpening guide and replaceable parts.",
            [Garden], "Pruning Shears"),

        // Pet Supplies
        new("Pawsmith", "United States", 2011,
            "Pawsmith designs harnesses, toys and beds with help from a panel of rescue-dog owners in Denver. " +
            "It donates a share of every sale to local shelters. " +
            "Its chew toys are rated by chewing strength so owners know what they are buying.",
            [PetSupplies], "Dog Harness,Dog Chew Toy,Orthopedic Dog Bed,Interactive Cat Toy"),
        new("Whiskerfield", "United Kingdom", 2007,
            "Whiskerfield makes cat trees, feeders and toys in Norfolk. " +
            "The founders are a vet and a furniture maker, which shows in sturdy designs built around how cats actually behave.",
            [PetSupplies], "Cat Tree,Automatic Pet Feeder,Interactive Cat Toy"),
        new("Barkridge Pet Co.", "Australia", 1999,
            "Barkridge Pet Co. started making canvas dog beds for working farm dogs in Queensland. " +
            "It now makes everything from orthopedic beds to automatic feeders. " +
            "Its beds are built to survive heat, dust and very enthusiastic diggers.",
            [PetSupplies], "Orthopedic Dog Bed,Automatic Pet Feeder,Dog Harness,Dog Chew Toy"),

        // Beauty & Care
        new("Luminelle", "France", 1994,
            "Luminelle is a Grasse skincare house that works with small flower farms nearby. " +
            "Its serums and moisturisers are formulated by a team of pharmacists and sold in refillable packaging.",
            [BeautyCare], "Vitamin C Serum,Daily Moisturiser"),
        new("Sablewood Apothecary", "Canada", 2010,
            "Sablewood Apothecary makes shampoo bars and moisturisers in small batches in Nova Scotia. " +
            "It avoids plastic packaging entirely and publishes the full ingredient source list for every product. " +
            "Its scents come from essential oils rather than synthetic perfumes.",
            [BeautyCare], "Shampoo Bar,Daily Moisturiser"),
        new("Hanami Skin Lab", "South Korea", 2016,
            "Hanami Skin Lab is a Seoul skincare and grooming brand built on short ingredient lists and gentle formulas. " +
            "It also makes electric toothbrushes, trimmers and hair dryers. " +
            "Every formula is tested on sensitive skin before release.",
            [BeautyCare]),
    ];
}
