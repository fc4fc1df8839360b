namespace EcomGo.Storefront.Data.Seed.Catalog;

/// <summary>
/// The shop's categories and their vocabulary. Split across partial files by department
/// (Active, Home, Tech, Leisure) only to keep each file readable; the order here defines category ids.
/// </summary>
internal static partial class CategoryProfiles
{
    public const int RunningFitness = 1;
    public const int OutdoorCamping = 2;
    public const int Cycling = 3;
    public const int KitchenCooking = 4;
    public const int CoffeeTea = 5;
    public const int HomeAudio = 6;
    public const int Headphones = 7;
    public const int LaptopsComputing = 8;
    public const int Gaming = 9;
    public const int SmartHome = 10;
    public const int Books = 11;
    public const int ToysGames = 12;
    public const int Garden = 13;
    public const int PetSupplies = 14;
    public const int BeautyCare = 15;

    private static IReadOnlyList<CategoryProfile>? _all;

    /// <summary>All categories ordered by id (built once; the data is immutable).</summary>
    public static IReadOnlyList<CategoryProfile> All => _all ??=
    [
        Running(), Outdoor(), CyclingProfile(),
        Kitchen(), Coffee(),
        Audio(), HeadphonesProfile(), Laptops(), GamingProfile(), Smart(),
        BooksProfile(), Toys(),
        GardenProfile(), Pets(), Beauty(),
    ];

    public static CategoryProfile Get(int id) => All[id - 1];
}
