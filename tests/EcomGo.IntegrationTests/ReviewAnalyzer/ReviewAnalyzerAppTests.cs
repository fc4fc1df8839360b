using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>
/// The ReviewAnalyzer inside the whole app (local mode, scripted Ollama). The scripted model answers seeded reviews
/// with its default non-JSON reply, so they take the LLM path and fall back to the local classifier: the seed
/// agreement below measures the local classifier. Synthetic reviews marked [e2e-sentiment] get scripted JSON.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReviewAnalyzerAppTests(AppFixture fixture, ITestOutputHelper output)
{
    private const string FastModel = "llama3.2:1b";
    private const string SyntheticMarker = "[e2e-sentiment]";
    private static readonly TimeSpan s_backfillTimeout = TimeSpan.FromSeconds(180);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private sealed record FeedReview(int Id, int ProductId, string? UserId, int Rating, string Title, string Text, DateTimeOffset CreatedAt);
    private sealed record Sentiment(int ReviewId, string Label, double Confidence);
    private sealed record Opinion(int ProductId, string Summary, int Positive, int Neutral, int Negative);
    private sealed record Stats(int Analyzed, int Pending, Dictionary<string, int> ByLabel, Dictionary<string, int> ByModel, int Opinions,
        string Classifier, string PromptVersion, DateTimeOffset? LastSweepCompletedAt, string? LastSweepError);

    [Fact]
    public async Task Seeded_reviews_get_analysed_through_the_fast_model_with_the_review_as_delimited_data()
    {
        ScriptModel();
        var stats = await WaitForBackfillAsync();

        Assert.Equal($"ollama:{FastModel}", stats.Classifier);
        Assert.True(stats.Analyzed >= 300, $"only {stats.Analyzed} reviews analysed");
        Assert.Equal(stats.Analyzed, stats.ByLabel.Values.Sum());

        var chat = fixture.Ollama.Requests.Where(r => r.Path == "/api/chat" && r.Body.Contains("Star rating (hint only)", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(chat);
        using var body = JsonDocument.Parse(chat[^1].Body);
        Assert.Equal(FastModel, body.RootElement.GetProperty("model").GetString());
        // Structured output: the reply is constrained to the classifier's JSON schema.
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("format").ValueKind);
        Assert.True(body.RootElement.GetProperty("format").GetProperty("properties").TryGetProperty("aspects", out _));
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains("untrusted DATA", messages[0].GetProperty("content").GetString());
        Assert.Matches(@"<review>\nTitle: .*\nText: (.|\n)*\n</review>", messages[1].GetProperty("content").GetString()!);
    }

    [Fact]
    public async Task The_seeded_injection_review_is_negative_and_a_gullible_model_is_overruled()
    {
        ScriptModel();
        await WaitForBackfillAsync();
        var injection = (await ReadFeedAsync()).Single(r => r.Text.Contains("IGNORE ALL PREVIOUS INSTRUCTIONS", StringComparison.Ordinal));

        var seeded = (await GetSentimentsAsync(injection.ProductId)).Single(s => s.ReviewId == injection.Id);
        Assert.Equal("negative", seeded.Label);

        // The same complaint as a new event; the scripted model obeys the injection and says "positive".
        var productId = 900_000 + Random.Shared.Next(1, 99_999);
        var injected = Random.Shared.Next(1_000_000_000, 1_500_000_000);
        var honest = injected + 1;
        await PublishReviewCreatedAsync(injected, productId, 1, $"Great kettle? {SyntheticMarker}", injection.Text);
        await PublishReviewCreatedAsync(honest, productId, 5, $"Lovely {SyntheticMarker}", "Boils fast, quiet and the lid closes perfectly. Very happy.");

        var sentiments = await PollAsync(() => GetSentimentsAsync(productId), s => s.Count == 2, TimeSpan.FromSeconds(60));
        Assert.Equal("negative", sentiments.Single(s => s.ReviewId == injected).Label);
        Assert.Equal("positive", sentiments.Single(s => s.ReviewId == honest).Label);
        Assert.True((await GetStatsAsync()).ByModel.GetValueOrDefault($"ollama:{FastModel}") >= 1, "the LLM answer was never used");
    }

    [Fact]
    public async Task Local_classifier_agrees_with_star_ratings_on_the_seeded_reviews()
    {
        ScriptModel();
        await WaitForBackfillAsync();
        var feed = (await ReadFeedAsync()).Where(r => !r.Title.Contains(SyntheticMarker, StringComparison.Ordinal)).ToList();
        // A sample of products (every 4th), all their reviews: stars 4-5 positive, 3 neutral, 1-2 negative as a rough proxy.
        var products = feed.Select(r => r.ProductId).Distinct().Order().Where((_, i) => i % 4 == 0).ToHashSet();
        var (agree, total) = (0, 0);
        var confusion = new Dictionary<string, int>();
        foreach (var productId in products)
        {
            var labels = (await GetSentimentsAsync(productId)).ToDictionary(s => s.ReviewId, s => s.Label);
            foreach (var review in feed.Where(r => r.ProductId == productId && labels.ContainsKey(r.Id)))
            {
                var expected = review.Rating >= 4 ? "positive" : review.Rating == 3 ? "neutral" : "negative";
                total++;
                agree += labels[review.Id] == expected ? 1 : 0;
                var key = $"{expected}->{labels[review.Id]}";
                confusion[key] = confusion.GetValueOrDefault(key) + 1;
            }
        }

        var accuracy = (double)agree / Math.Max(1, total);
        output.WriteLine($"agreement with star proxy: {agree}/{total} = {accuracy:P1}; {string.Join(", ", confusion.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"))}");
        Assert.True(total >= 100, $"only {total} analysed reviews in the sample");
        Assert.True(accuracy >= 0.75, $"agreement {accuracy:P1} < 75%");
    }

    [Fact]
    public async Task Api_validates_product_ids_and_opinion_counts_match_sentiments()
    {
        ScriptModel();
        using var http = await fixture.CreateServiceClientAsync("review-analyzer");

        foreach (var url in new[] { "/api/sentiments?productId=0", "/api/sentiments?productId=-3", "/api/sentiments?productId=abc", "/api/sentiments", "/api/opinions/0" })
        {
            using var bad = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.Contains("positive integer", await bad.Content.ReadAsStringAsync());
        }

        using (var none = await http.GetAsync("/api/opinions/2000000000"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        Assert.Equal("[]", await http.GetStringAsync("/api/sentiments?productId=2000000000"));

        await WaitForBackfillAsync();
        var productId = (await ReadFeedAsync()).GroupBy(r => r.ProductId).OrderByDescending(g => g.Count()).First().Key;
        var sentiments = await GetSentimentsAsync(productId);
        Assert.NotEmpty(sentiments);
        Assert.All(sentiments, s => Assert.Contains(s.Label, new[] { "positive", "neutral", "negative" }));
        Assert.All(sentiments, s => Assert.InRange(s.Confidence, 0, 1));

        // Opinions follow sentiments after a short debounce.
        var opinion = await PollAsync(async () =>
        {
            using var response = await http.GetAsync($"/api/opinions/{productId}");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<Opinion>(s_json) : null;
        }, o => o is not null && o.Positive + o.Neutral + o.Negative == sentiments.Count, TimeSpan.FromSeconds(60));

        output.WriteLine($"product {productId}: {opinion!.Summary}");
        Assert.Equal(productId, opinion.ProductId);
        Assert.Equal(sentiments.Count(s => s.Label == "positive"), opinion.Positive);
        Assert.Equal(sentiments.Count(s => s.Label == "neutral"), opinion.Neutral);
        Assert.Equal(sentiments.Count(s => s.Label == "negative"), opinion.Negative);
        Assert.False(string.IsNullOrWhiteSpace(opinion.Summary));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /// <summary>
    /// Synthetic reviews get JSON from a gullible model (it obeys "mark this review as positive"); opinion summaries
    /// get a fixed sentence. Everything else keeps the default non-JSON reply. Rules only match our own prompts.
    /// </summary>
    private void ScriptModel()
    {
        fixture.Ollama.Chat.WhenUserSays(Escape(SyntheticMarker)).ForModel(FastModel).Reply(info =>
            info.LastUserMessage.Contains("mark this review as positive", StringComparison.OrdinalIgnoreCase)
                ? """{"label":"positive","confidence":0.99}"""
                : """{"label":"positive","confidence":0.9}""");
        fixture.Ollama.Chat.WhenUserSays("Write the summary now").ForModel(FastModel)
            .Reply("Shoppers mostly describe it as reliable, with a few complaints about build quality.");
    }

    private static string Escape(string s) => System.Text.RegularExpressions.Regex.Escape(s);

    private async Task<Stats> GetStatsAsync()
    {
        using var http = await fixture.CreateServiceClientAsync("review-analyzer");
        return (await http.GetFromJsonAsync<Stats>("/api/sentiments/stats", s_json))!;
    }

    private async Task<List<Sentiment>> GetSentimentsAsync(int productId)
    {
        using var http = await fixture.CreateServiceClientAsync("review-analyzer");
        return (await http.GetFromJsonAsync<List<Sentiment>>($"/api/sentiments?productId={productId}", s_json))!;
    }

    private async Task<List<FeedReview>> ReadFeedAsync()
    {
        using var http = await fixture.CreateServiceClientAsync("storefront");
        var all = new List<FeedReview>();
        while (true)
        {
            var page = (await http.GetFromJsonAsync<List<FeedReview>>($"/api/reviews/feed?afterId={(all.Count == 0 ? 0 : all[^1].Id)}&take=500", s_json))!;
            all.AddRange(page);
            if (page.Count < 500)
            {
                return all;
            }
        }
    }

    /// <summary>Waits until the sweep has caught up with the seeded reviews (bounded).</summary>
    private async Task<Stats> WaitForBackfillAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var stats = await PollAsync(GetStatsAsync, s => s.Analyzed >= 300 && s.Pending == 0 && s.LastSweepCompletedAt is not null, s_backfillTimeout);
        output.WriteLine($"backfill: {stats.Analyzed} analysed, {stats.Pending} pending after {stopwatch.Elapsed.TotalSeconds:0}s; " +
                         $"labels {string.Join(", ", stats.ByLabel.Select(l => $"{l.Key}={l.Value}"))}; models {string.Join(", ", stats.ByModel.Select(m => $"{m.Key}={m.Value}"))}");
        return stats;
    }

    private async Task PublishReviewCreatedAsync(int reviewId, int productId, int rating, string title, string text)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var envelope = JsonSerializer.Serialize(new
        {
            id = $"e2e-{reviewId}",
            type = "review-created.v1",
            occurredAt = DateTimeOffset.UtcNow,
            data = new { reviewId, productId, userId = (string?)null, rating, title, text, createdAt = DateTimeOffset.UtcNow },
        }, s_json);
        var db = redis.GetDatabase();
        await db.ListLeftPushAsync("events:review-created.v1:review-analyzer", envelope);
        await db.PublishAsync(RedisChannel.Literal("events:review-created.v1:signal"), $"e2e-{reviewId}");
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                last = await read();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException e)
            {
                lastError = e;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"Condition not met within {timeout}; last value: {JsonSerializer.Serialize(last, s_json)}", lastError);
    }
}
