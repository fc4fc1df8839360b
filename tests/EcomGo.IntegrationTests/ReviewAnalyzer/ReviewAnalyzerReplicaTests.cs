using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Recommender;
using EcomGo.IntegrationTests.Storefront;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>An app of its own whose ReviewAnalyzer runs as two replicas (the AppHost's <c>ReviewAnalyzer:Replicas</c> switch).</summary>
public sealed class ReviewAnalyzerReplicasApp() : SeparateApp([$"--ReviewAnalyzer:Replicas={Replicas}"])
{
    public const int Replicas = 2;
}

/// <summary>DisableParallelization: runs after the shared app's collections, so two apps never compete for the cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReviewAnalyzerReplicasCollection : ICollectionFixture<ReviewAnalyzerReplicasApp>
{
    public const string Name = "EcomGo app, two ReviewAnalyzers";
}

/// <summary>
/// Competing consumers at the AppHost level: two ReviewAnalyzer replicas share the review-created events. 500 new reviews
/// are each analysed exactly once (one stored sentiment, one review-analyzed event in the ReviewAnalyzer's outbox), also
/// when one replica is killed (SIGKILL) mid-run: its in-flight events go back to the queue and the other replica takes them.
/// </summary>
[Collection(ReviewAnalyzerReplicasCollection.Name)]
public sealed class ReviewAnalyzerReplicaTests(ReviewAnalyzerReplicasApp app, ITestOutputHelper output)
{
    private const int Shoppers = 5;
    private const int ReviewsPerShopper = 100;
    private const int KillAfterAnalysed = 100;
    // A killed replica's in-flight events return after its 30 s heartbeat timeout; the local classifier on a loaded 2-core machine is slow.
    private static readonly TimeSpan s_allAnalysedWithin = TimeSpan.FromMinutes(10);

    private AppFixture Fixture => app.App;

    [Fact]
    public async Task Two_replicas_analyse_500_review_events_exactly_once_even_when_one_is_killed_mid_run()
    {
        var pids = await ReplicaPidsAsync();
        output.WriteLine($"review-analyzer replicas: {string.Join("; ", pids.Select(p => $"{p} {Describe(p)}"))}");
        Assert.Equal(ReviewAnalyzerReplicasApp.Replicas, pids.Count);

        var shoppers = new List<StorefrontClient>();
        for (var i = 0; i < Shoppers; i++)
        {
            shoppers.Add(await RecommenderKit.RegisterAsync(Fixture));
        }

        await using var db = await Db.OpenAsync(Fixture);
        var reviewIds = new ConcurrentBag<int>();
        var stopwatch = Stopwatch.StartNew();
        var posting = Task.WhenAll(shoppers.Select(shopper => Task.Run(async () =>
        {
            for (var productId = 1; productId <= ReviewsPerShopper; productId++)
            {
                var response = await shopper.Http.PostAsJsonAsync($"/api/products/{productId}/reviews",
                    new { rating = 1 + productId % 5, title = $"Replica test {productId}", text = $"Written for the replica test, product {productId}." });
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"review of {productId}: {(int)response.StatusCode}");
                reviewIds.Add((await response.Content.ReadFromJsonAsync<ReviewView>(StorefrontClient.Json))!.Id);
            }
        })));

        // Kill one replica once the run is well under way (SIGKILL: no clean shutdown, its in-flight events are stranded).
        int killed;
        while (true)
        {
            var analysed = await AnalysedAsync(db, [.. reviewIds]);
            if (analysed >= KillAfterAnalysed || posting.IsCompleted && analysed == reviewIds.Count)
            {
                var live = await ReplicaPidsAsync();
                output.WriteLine($"live replicas before the kill: {string.Join("; ", live.Select(p => $"{p} {Describe(p)}"))}");
                Assert.Equal(ReviewAnalyzerReplicasApp.Replicas, live.Count);
                killed = live[0];
                ResourceProcesses.Signal(killed, "KILL");
                output.WriteLine($"killed replica pid {killed} with SIGKILL after {stopwatch.Elapsed.TotalSeconds:F1} s, {analysed} of {reviewIds.Count} posted reviews analysed");
                break;
            }

            Assert.True(stopwatch.Elapsed < s_allAnalysedWithin, $"only {analysed} analysed after {stopwatch.Elapsed}");
            await Task.Delay(250);
        }

        await posting;
        var postedIn = stopwatch.Elapsed;
        int[] ids = [.. reviewIds];
        Assert.Equal(Shoppers * ReviewsPerShopper, ids.Length);

        var processed = 0;
        while (stopwatch.Elapsed < s_allAnalysedWithin)
        {
            processed = await AnalysedAsync(db, ids);
            if (processed == ids.Length)
            {
                break;
            }

            await Task.Delay(1000);
        }

        var allAnalysedIn = stopwatch.Elapsed;
        // Give a stranded event time to come back (heartbeat timeout) and be analysed a second time, if it ever would be.
        await Task.Delay(TimeSpan.FromSeconds(40));
        processed = await AnalysedAsync(db, ids);
        var analyses = await db.QueryAsync("""
            SELECT (("Payload")::json->>'reviewId')::int, count(*) FROM reviews."Outbox"
            WHERE "EventType" = 'review-analyzed.v1' AND (("Payload")::json->>'reviewId')::int = ANY($1)
            GROUP BY 1
            """, r => (ReviewId: r.GetInt32(0), Count: r.GetInt64(1)), (object)ids);
        var duplicates = analyses.Where(a => a.Count > 1).ToList();
        var lost = ids.Length - processed;
        output.WriteLine($"{ids.Length} review events (posted in {postedIn.TotalSeconds:F1} s), {processed} analysed " +
                         $"({analyses.Sum(a => a.Count)} review-analyzed events), {duplicates.Count} analysed more than once, {lost} lost; " +
                         $"all analysed {allAnalysedIn.TotalSeconds:F1} s after the first post; replica {killed} killed mid-run");

        Assert.True(lost == 0, $"{lost} reviews never analysed");
        Assert.True(duplicates.Count == 0, $"analysed more than once: {string.Join(", ", duplicates.Take(20).Select(d => $"{d.ReviewId}x{d.Count}"))}");
        Assert.Equal(ids.Length, analyses.Count);
        foreach (var shopper in shoppers)
        {
            shopper.Dispose();
        }
    }

    private static Task<long> AnalysedCountAsync(Npgsql.NpgsqlDataSource db, int[] ids) =>
        db.ScalarAsync("""SELECT count(*) FROM reviews."Sentiments" WHERE "ReviewId" = ANY($1)""", (object)ids);

    private static async Task<int> AnalysedAsync(Npgsql.NpgsqlDataSource db, int[] ids) => ids.Length == 0 ? 0 : (int)await AnalysedCountAsync(db, ids);

    /// <summary>This app's ReviewAnalyzer service processes (not the "dotnet run" that started each).</summary>
    private async Task<List<int>> ReplicaPidsAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var pids = (await ResourceProcesses.FindServiceAsync(Fixture, "review-analyzer")).Where(IsServiceBinary).ToList();
            if (pids.Count >= ReviewAnalyzerReplicasApp.Replicas || deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                return pids;
            }

            await Task.Delay(500);
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static bool IsServiceBinary(int pid)
    {
        try
        {
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return Path.GetFileName(argv[0]) == "ReviewAnalyzer" || argv.Any(a => a.EndsWith("ReviewAnalyzer.dll", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false; // gone
        }
    }
}
