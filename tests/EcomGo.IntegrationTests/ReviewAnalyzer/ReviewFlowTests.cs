using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using EcomGo.ReviewAnalyzer.Services;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>
/// The one-way review flow through the whole app (local mode, scripted Ollama): a shopper posts a review on the
/// Storefront, the ReviewAnalyzer classifies it (the scripted fast model answers for this test's marker only) and
/// publishes review-analyzed / product-opinion-updated events, and the Storefront renders the product page from its own
/// copies. Each test writes its own review with a unique marker, so nothing depends on what other tests did.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReviewFlowTests(AppFixture fixture, ITestOutputHelper output)
{
    private const string FastModel = "llama3.2:1b";
    private const string Shopper = "priya.nair@demo.ecomgo.local";
    private const string ReviewAnalyzerResource = "review-analyzer";
    private static readonly TimeSpan s_flowTimeout = TimeSpan.FromSeconds(120);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private sealed record Sentiment(int ReviewId, string Label, double Confidence, List<string> Aspects, string Classifier, string Model,
        string? ModelDigest, string PromptVersion);
    private sealed record Opinion(int ProductId, string Summary, int Positive, int Neutral, int Negative, List<string> Praised, List<string> Criticised);

    [Fact]
    public async Task A_posted_review_turns_its_colour_from_the_review_analyzed_event_without_the_page_calling_the_review_analyzer()
    {
        var marker = NewMarker();
        // Not disposed: the rule stays in the shared server and may answer again (e.g. a later re-analysis).
        var release = new ManualResetEventSlim(false);
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(marker)).ForModel(FastModel).Reply(_ =>
        {
            // Hold the model's answer until the test has seen the review pending on the page.
            release.Wait(TimeSpan.FromSeconds(90));
            return """{"label":"negative","confidence":0.93,"aspects":[{"aspect":"battery","sentiment":"negative"}]}""";
        });

        using var shopper = await StorefrontClient.SignedInAsync(fixture, Shopper);
        var productId = await PickUnreviewedProductAsync(shopper);
        var reviewId = await PostReviewAsync(shopper, productId, 4, $"Battery woes {marker}", "Looks great, but the battery is dead by lunchtime every day.");

        var pending = await ReviewCardAsync(productId, reviewId);
        Assert.Equal("pending", pending.Sentiment);
        Assert.Contains("review--pending", pending.Classes);
        release.Set();

        var analysed = await PollAsync(() => ReviewCardAsync(productId, reviewId), c => c.Sentiment != "pending", s_flowTimeout);
        Assert.Equal("negative", analysed.Sentiment);
        Assert.Contains("review--negative", analysed.Classes);
        var stored = (await GetSentimentsAsync(productId)).Single(s => s.ReviewId == reviewId);
        Assert.Equal(ClassifierKinds.Llm, stored.Classifier);
        Assert.Contains("battery: negative", stored.Aspects);

        // The page did not ask the ReviewAnalyzer: the Storefront process is not even told where it is (no service
        // discovery entry, no connection string), so the label above can only have come from its own copy of the event.
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("storefront", out var storefront));
        var environment = storefront.Snapshot.EnvironmentVariables.Select(v => $"{v.Name}={v.Value}").ToList();
        Assert.Contains(environment, v => v.StartsWith("services__recommender__", StringComparison.Ordinal)); // references do show up here
        Assert.DoesNotContain(environment, v => v.Contains("review-analyzer", StringComparison.OrdinalIgnoreCase)
                                                || v.StartsWith("services__review", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Invalid_model_json_is_repaired_or_decided_locally_never_mislabelled()
    {
        var repairedMarker = NewMarker();
        var brokenMarker = NewMarker();
        // First answer misspells the label; the repair request (added last, so tried first) gets a valid one.
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(repairedMarker)).ForModel(FastModel)
            .Reply("""{"label":"negatve","confidence":0.85,"aspects":[]}""");
        fixture.Ollama.Chat.WhenUserSaysFirst($"^{Regex.Escape(LlmSentimentClassifier.RepairPreamble)}(.|\\n)*{Regex.Escape(repairedMarker)}").ForModel(FastModel)
            .Reply("""{"label":"negative","confidence":0.85,"aspects":[{"aspect":"zipper","sentiment":"negative"}]}""");
        // Always prose that says "positive": it must never become the label.
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(brokenMarker)).ForModel(FastModel)
            .Reply("Sure! This review is clearly positive, label: positive.");

        using var shopper = await StorefrontClient.SignedInAsync(fixture, Shopper);
        var repairedProduct = await PickUnreviewedProductAsync(shopper);
        var repairedId = await PostReviewAsync(shopper, repairedProduct, 2, $"Zip gave up {repairedMarker}", "The zipper jammed on day two and tore the fabric.");
        var brokenProduct = await PickUnreviewedProductAsync(shopper, exclude: repairedProduct);
        const string brokenText = "Arrived broken, the lid is cracked and it leaks everywhere. Total waste of money, returning it.";
        var brokenId = await PostReviewAsync(shopper, brokenProduct, 1, $"Junk {brokenMarker}", brokenText);

        var repaired = await PollAsync(async () => (await GetSentimentsAsync(repairedProduct)).SingleOrDefault(s => s.ReviewId == repairedId),
            s => s is not null, s_flowTimeout);
        Assert.Equal("negative", repaired!.Label);
        Assert.Equal(ClassifierKinds.LlmRepaired, repaired.Classifier);
        Assert.Equal($"ollama:{FastModel}", repaired.Model);
        Assert.Contains("zipper: negative", repaired.Aspects);

        var broken = await PollAsync(async () => (await GetSentimentsAsync(brokenProduct)).SingleOrDefault(s => s.ReviewId == brokenId),
            s => s is not null, s_flowTimeout);
        var local = (await new LocalSentimentClassifier(SharedMiniLm.Instance).ClassifyAsync([new ReviewInput(brokenId, brokenProduct, 1, $"Junk {brokenMarker}", brokenText)]))[0];
        Assert.Equal(ClassifierKinds.Fallback("invalid-output"), broken!.Classifier);
        Assert.Equal(LocalSentimentClassifier.Model, broken.Model);
        Assert.Equal(local.Label.ToWire(), broken.Label);
        Assert.NotEqual("positive", broken.Label);
        Assert.Equal(2, fixture.Ollama.Requests.Count(r => r.Path == "/api/chat" && r.Body.Contains(brokenMarker, StringComparison.Ordinal)));

        // The Storefront shows what the ReviewAnalyzer decided.
        Assert.Equal("negative", (await PollAsync(() => ReviewCardAsync(repairedProduct, repairedId), c => c.Sentiment != "pending", s_flowTimeout)).Sentiment);
        Assert.Equal(broken.Label, (await PollAsync(() => ReviewCardAsync(brokenProduct, brokenId), c => c.Sentiment != "pending", s_flowTimeout)).Sentiment);
    }

    [Fact]
    public async Task A_review_on_which_the_model_always_errors_gets_the_local_label()
    {
        var marker = NewMarker();
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(marker)).ForModel(FastModel).Fail(500, "llama runner process has terminated: signal: killed");

        using var shopper = await StorefrontClient.SignedInAsync(fixture, Shopper);
        var productId = await PickUnreviewedProductAsync(shopper);
        const string text = "Absolutely love it. Comfortable, quiet and it looks beautiful in the living room.";
        var reviewId = await PostReviewAsync(shopper, productId, 5, $"Lovely {marker}", text);

        var stored = await PollAsync(async () => (await GetSentimentsAsync(productId)).SingleOrDefault(s => s.ReviewId == reviewId), s => s is not null, s_flowTimeout);
        var local = (await new LocalSentimentClassifier(SharedMiniLm.Instance).ClassifyAsync([new ReviewInput(reviewId, productId, 5, $"Lovely {marker}", text)]))[0];
        Assert.Equal(ClassifierKinds.Fallback("model-error"), stored!.Classifier);
        Assert.Equal(LocalSentimentClassifier.Model, stored.Model);
        Assert.Equal(local.Label.ToWire(), stored.Label);
        Assert.True(fixture.Ollama.Requests.Count(r => r.Path == "/api/chat" && r.Body.Contains(marker, StringComparison.Ordinal)) >= 1);

        var card = await PollAsync(() => ReviewCardAsync(productId, reviewId), c => c.Sentiment != "pending", s_flowTimeout);
        Assert.Equal(stored.Label, card.Sentiment);
    }

    [Fact]
    public async Task A_deleted_review_leaves_the_counts_and_the_summary()
    {
        var marker = NewMarker();
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(marker)).ForModel(FastModel).Reply(info =>
            info.LastUserMessage.Contains("Write the summary now", StringComparison.Ordinal)
                ? $"Several buyers say the hinge squeaks ({marker})."
                : """{"label":"negative","confidence":0.9,"aspects":[{"aspect":"hinge","sentiment":"negative"}]}""");

        using var shopper = await StorefrontClient.SignedInAsync(fixture, Shopper);
        var productId = await PickUnreviewedProductAsync(shopper);
        var reviewId = await PostReviewAsync(shopper, productId, 2, $"Squeaky {marker}", "The hinge squeaks loudly every time I open it.");

        var withReview = await PollAsync(() => GetOpinionAsync(productId), o => o?.Summary.Contains(marker, StringComparison.Ordinal) == true, s_flowTimeout);
        var countWith = withReview!.Positive + withReview.Neutral + withReview.Negative;
        await PollAsync(() => GetStorefrontSummaryAsync(productId), s => s?.Contains(marker, StringComparison.Ordinal) == true, s_flowTimeout);

        using (var delete = await shopper.Http.DeleteAsync($"/api/reviews/{reviewId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var without = await PollAsync(() => GetOpinionAsync(productId), o => o is not null && o.Positive + o.Neutral + o.Negative == countWith - 1, s_flowTimeout);
        Assert.DoesNotContain(marker, without!.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(await GetSentimentsAsync(productId), s => s.ReviewId == reviewId);
        var storefrontSummary = await PollAsync(() => GetStorefrontSummaryAsync(productId), s => s?.Contains(marker, StringComparison.Ordinal) != true, s_flowTimeout);
        output.WriteLine($"product {productId}: '{withReview.Summary}' -> '{storefrontSummary}'");
        Assert.DoesNotContain($"data-review-id=\"{reviewId}\"", await GetPageAsync(productId), StringComparison.Ordinal);

        // The Storefront's copy of the counts follows the ReviewAnalyzer's.
        await using var db = await Db.OpenAsync(fixture);
        var copied = await PollAsync(
            () => db.ScalarAsync("""SELECT coalesce(sum("PositiveCount" + "NeutralCount" + "NegativeCount"), -1) FROM storefront."ProductOpinions" WHERE "ProductId" = $1""", productId),
            c => c == countWith - 1, s_flowTimeout);
        Assert.Equal(countWith - 1, copied);
    }

    [Fact]
    public async Task Reanalysis_from_the_dashboard_command_redoes_results_of_an_older_model()
    {
        var marker = NewMarker();
        var verdict = "positive";
        fixture.Ollama.Chat.WhenUserSaysFirst(Regex.Escape(marker)).ForModel(FastModel)
            .Reply(_ => $$"""{"label":"{{Volatile.Read(ref verdict)}}","confidence":0.9,"aspects":[]}""");

        using var shopper = await StorefrontClient.SignedInAsync(fixture, Shopper);
        var productId = await PickUnreviewedProductAsync(shopper);
        var reviewId = await PostReviewAsync(shopper, productId, 3, $"Fine {marker}", "It does the job. Nothing special, nothing wrong.");
        var original = await PollAsync(async () => (await GetSentimentsAsync(productId)).SingleOrDefault(s => s.ReviewId == reviewId), s => s is not null, s_flowTimeout);
        Assert.Equal("positive", original!.Label);
        Assert.Equal(fixture.Ollama.DigestOf(FastModel), original.ModelDigest);
        Assert.Equal("positive", (await PollAsync(() => ReviewCardAsync(productId, reviewId), c => c.Sentiment != "pending", s_flowTimeout)).Sentiment);

        // A new build of the same model name is pulled, and it reads the review differently.
        var newDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        fixture.Ollama.SetDigest(FastModel, newDigest);
        Volatile.Write(ref verdict, "neutral");
        try
        {
            var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
            var stopwatch = Stopwatch.StartNew();
            var result = await commands.ExecuteCommandAsync(ReviewAnalyzerResource, "reanalyze-outdated");
            output.WriteLine($"reanalyze-outdated: {result.Success} '{result.Message}' after {stopwatch.Elapsed.TotalSeconds:0.0}s");
            Assert.True(result.Success, result.Message);

            var redone = await PollAsync(async () => (await GetSentimentsAsync(productId)).Single(s => s.ReviewId == reviewId),
                s => s.ModelDigest == newDigest, s_flowTimeout);
            Assert.Equal("neutral", redone.Label);
            Assert.Equal(ClassifierKinds.Llm, redone.Classifier);
            Assert.Equal("neutral", (await PollAsync(() => ReviewCardAsync(productId, reviewId), c => c.Sentiment == "neutral", s_flowTimeout)).Sentiment);

            using var http = await fixture.CreateServiceClientAsync(ReviewAnalyzerResource);
            var status = await http.GetFromJsonAsync<JsonElement>("/api/reanalysis", s_json);
            Assert.Equal(newDigest, status.GetProperty("currentModelDigest").GetString());
            Assert.Equal(0, status.GetProperty("remaining").GetInt32());
        }
        finally
        {
            fixture.Ollama.SetDigest(FastModel, null);
        }
    }

    [Fact]
    public async Task Reanalysis_api_rejects_an_unknown_scope_and_needs_the_service_key()
    {
        using var http = await fixture.CreateServiceClientAsync(ReviewAnalyzerResource);
        using var bad = await http.PostAsJsonAsync("/api/reanalysis", new { scope = "everything" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'all', 'outdated' or 'fallbacks'", await bad.Content.ReadAsStringAsync());

        using var anonymous = fixture.CreateHttpClient(ReviewAnalyzerResource);
        using var refused = await anonymous.PostAsJsonAsync("/api/reanalysis", new { scope = "all" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private sealed record Card(string Sentiment, string Classes);

    private static string NewMarker() => $"flow-{Guid.NewGuid():N}"[..17];

    private async Task<int> PickUnreviewedProductAsync(StorefrontClient shopper, int? exclude = null)
    {
        var mine = (await shopper.GetAsync<List<ReviewView>>("/api/reviews/mine")).Select(r => r.ProductId).ToHashSet();
        var products = (await shopper.GetAsync<PagedResult<ProductSummary>>("/api/catalog/products?pageSize=100")).Items
            .Select(p => p.Id).Where(id => !mine.Contains(id) && id != exclude).ToList();
        Assert.NotEmpty(products);
        return products[Random.Shared.Next(products.Count)];
    }

    private static async Task<int> PostReviewAsync(StorefrontClient shopper, int productId, int rating, string title, string text)
    {
        using var response = await shopper.Http.PostAsJsonAsync($"/api/products/{productId}/reviews", new { rating, title, text });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST review: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ReviewView>(StorefrontClient.Json))!.Id;
    }

    private async Task<string> GetPageAsync(int productId)
    {
        using var visitor = new StorefrontClient(fixture);
        using var response = await visitor.Http.GetAsync($"/products/{productId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The review's card as the product page renders it (its data-sentiment and CSS classes).</summary>
    private async Task<Card> ReviewCardAsync(int productId, int reviewId)
    {
        var html = await GetPageAsync(productId);
        var match = Regex.Match(html, $"<article class=\"([^\"]*)\" data-sentiment=\"([a-z]+)\" data-review-id=\"{reviewId}\"");
        Assert.True(match.Success, $"review {reviewId} is not on the page of product {productId}");
        return new Card(match.Groups[2].Value, match.Groups[1].Value);
    }

    private static string? OpinionText(string html)
    {
        var match = Regex.Match(html, "data-testid=\"opinion-summary\">(.*?)</div>", RegexOptions.Singleline);
        return match.Success ? match.Groups[1].Value : null;
    }

    private async Task<string?> GetStorefrontSummaryAsync(int productId)
    {
        using var visitor = new StorefrontClient(fixture);
        return (await visitor.GetAsync<EcomGo.IntegrationTests.Storefront.ProductReviews>($"/api/products/{productId}/reviews")).OpinionSummary;
    }

    private async Task<List<Sentiment>> GetSentimentsAsync(int productId)
    {
        using var http = await fixture.CreateServiceClientAsync(ReviewAnalyzerResource);
        return (await http.GetFromJsonAsync<List<Sentiment>>($"/api/sentiments?productId={productId}", s_json))!;
    }

    private async Task<Opinion?> GetOpinionAsync(int productId)
    {
        using var http = await fixture.CreateServiceClientAsync(ReviewAnalyzerResource);
        using var response = await http.GetAsync($"/api/opinions/{productId}");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<Opinion>(s_json) : null;
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
            catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException)
            {
                lastError = e;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"Condition not met within {timeout}; last value: {JsonSerializer.Serialize(last, s_json)}", lastError);
    }
}
