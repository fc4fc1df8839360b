using EcomGo.ReviewAnalyzer.Services;
using EcomGo.Storefront.Data.Seed;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>The local classifier against the seed's ground-truth labels (SeedReview.Sentiment), on every seeded review.</summary>
public sealed class LocalClassifierSeedAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Agrees_with_the_seed_ground_truth()
    {
        var reviews = SeedCatalog.Create().Reviews;
        var classifier = new LocalSentimentClassifier(SharedMiniLm.Instance);

        var (withStars, textOnly) = (0, 0);
        foreach (var chunk in reviews.Chunk(64))
        {
            var rated = await classifier.ClassifyAsync(chunk.Select(r => new ReviewInput(r.Id, r.ProductId, r.Rating, r.Title, r.Text)).ToList());
            var unrated = await classifier.ClassifyAsync(chunk.Select(r => new ReviewInput(r.Id, r.ProductId, 0, r.Title, r.Text)).ToList());
            for (var i = 0; i < chunk.Length; i++)
            {
                var expected = chunk[i].Sentiment.ToString().ToLowerInvariant();
                withStars += rated[i].Label.ToWire() == expected ? 1 : 0;
                textOnly += unrated[i].Label.ToWire() == expected ? 1 : 0;
            }
        }

        output.WriteLine($"{reviews.Count} seeded reviews: text+stars {withStars / (double)reviews.Count:P1}, text only {textOnly / (double)reviews.Count:P1}");
        Assert.True(withStars >= 0.9 * reviews.Count, $"text+stars agreement {withStars / (double)reviews.Count:P1} < 90%");
        Assert.True(textOnly >= 0.75 * reviews.Count, $"text-only agreement {textOnly / (double)reviews.Count:P1} < 75%");
    }
}
