using System.Globalization;
using System.Text;
using EcomGo.Recommender.Evaluation;
using EcomGo.Storefront.Data.Seed;

namespace EcomGo.IntegrationTests.Recommender.Evaluation;

/// <summary>
/// Writes the Storefront's demo catalog and interactions (the seed the shop starts with) as the two CSV files the
/// evaluation command reads; the Recommender itself never references the Storefront. Run it to get the files:
/// <c>RECSYS_EXPORT_DIR=/tmp/demo dotnet test tests/EcomGo.IntegrationTests --filter DemoDataExport</c>.
/// </summary>
public static class DemoDataExport
{
    public static (string Items, string Interactions) Write(string directory)
    {
        var seed = SeedCatalog.Create();
        Directory.CreateDirectory(directory);
        var categories = seed.Categories.ToDictionary(c => c.Id, c => c.Name);
        var makers = seed.Manufacturers.ToDictionary(m => m.Id, m => m.Name);

        var items = Path.Combine(directory, "items.csv");
        var lines = new StringBuilder("item_id,title,description,category,brand\n");
        foreach (var p in seed.Products)
        {
            lines.Append(Csv(p.Id.ToString(CultureInfo.InvariantCulture), p.Name, p.Description, categories[p.CategoryId], makers[p.ManufacturerId]));
        }
        File.WriteAllText(items, lines.ToString());

        // The seed has day offsets; within a day a view comes before a cart, a purchase and a rating, as generated.
        var interactions = Path.Combine(directory, "interactions.csv");
        lines = new StringBuilder("user_id,item_id,timestamp,event,rating\n");
        foreach (var e in seed.Interactions.OrderByDescending(e => e.DaysAgo).ThenBy(e => e.Kind).ThenBy(e => e.ShopperId).ThenBy(e => e.ProductId))
        {
            var time = SeedData.ReferenceDate.AddDays(-e.DaysAgo).AddHours(9 + (int)e.Kind);
            lines.Append(Csv(
                e.ShopperId.ToString(CultureInfo.InvariantCulture),
                e.ProductId.ToString(CultureInfo.InvariantCulture),
                time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                e.Kind.ToString().ToLowerInvariant(),
                e.Kind == InteractionKind.Rating ? e.Value.ToString(CultureInfo.InvariantCulture) : ""));
        }
        File.WriteAllText(interactions, lines.ToString());
        return (items, interactions);
    }

    /// <summary>One RFC 4180 line: a field is quoted when it holds a comma, a quote or a line break; quotes are doubled.</summary>
    public static string Csv(params string[] fields) =>
        string.Join(",", fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{f.Replace("\"", "\"\"")}\"" : f)) + "\n";
}

public sealed class DemoDataExportTests
{
    [Fact]
    public void DemoDataExport_WritesEverySeedRowReadableByTheEvaluation()
    {
        var directory = Environment.GetEnvironmentVariable("RECSYS_EXPORT_DIR") is { Length: > 0 } target
            ? target
            : Path.Combine(Path.GetTempPath(), $"recsys-demo-{Guid.NewGuid():N}");
        var (items, interactions) = DemoDataExport.Write(directory);

        var (log, summary) = CsvLogReader.Read(items, interactions);
        var seed = SeedCatalog.Create();
        Assert.Equal(seed.Products.Count, summary.ItemRows);
        Assert.Equal(seed.Interactions.Count, summary.InteractionRows);
        Assert.Equal(0, summary.MalformedItemRows + summary.MalformedInteractionRows + summary.UnknownItemInteractions);
        Assert.Equal(seed.Products.Count, log.ItemCount);
        Assert.Equal(seed.Interactions.Select(i => i.ShopperId).Distinct().Count(), log.UserCount);
        // Category and brand reach the text that gets embedded.
        var first = seed.Products[0];
        Assert.Contains($"Category: {seed.Categories.Single(c => c.Id == first.CategoryId).Name}", log.ItemTexts[0]);
    }
}
