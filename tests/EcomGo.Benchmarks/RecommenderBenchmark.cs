using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.Recommender.Data;
using EcomGo.Recommender.Extensions;
using EcomGo.Recommender.Services;
using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Messaging;
using Aspire.Hosting.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Pgvector;
using Pgvector.EntityFrameworkCore;

namespace EcomGo.Benchmarks;

/// <summary>
/// The Recommender at catalog scale, through the running AppHost. A synthetic catalog (10,000 products by default) is
/// embedded and stored by the Recommender's own <see cref="ProductIndexer"/> (through the Ollama wire protocol, real
/// all-MiniLM-L6-v2 vectors), 1,000 shoppers' interactions by its own <see cref="InteractionStore"/> and profile
/// builder. Then the service's endpoints are timed over HTTP, and the bare pgvector kNN query they are built on is
/// timed in the same run, so the service's overhead shows as a ratio. Last, interaction events are published on the
/// real bus and the time until the shopper's list changes is measured.
/// </summary>
public static class RecommenderBenchmark
{
    // Far above the shop's own ids, so the synthetic catalog never collides with the seeded one.
    private const int FirstProductId = 5_000_001;
    private const int InteractionsPerShopper = 20;

    private static readonly string[] Kinds = ["Running Shoes", "Laptops", "Coffee Machines", "Headphones", "Tents", "Cookware", "Smartphones",
        "Rain Jackets", "Board Games", "Office Chairs", "Bicycles", "Skincare", "Watches", "Backpacks", "Blenders", "Monitors", "Yoga Mats",
        "Kids' Toys", "Garden Tools", "Cameras"];
    private static readonly string[] Adjectives = ["Lightweight", "Pro", "Compact", "Classic", "Ultra", "Eco", "Deluxe", "Travel", "Smart", "Rugged",
        "Quiet", "Wireless", "Premium", "Everyday", "Sport"];
    private static readonly string[] Brands = ["Northpeak", "Stridewell", "Lumora", "Brightforge", "Kestrel", "Oakline", "Veloce", "Tidewater",
        "Arcadia", "Summitry"];

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var productCount = args.Int("products", 10_000, 100, 100_000);
        var shopperCount = args.Int("shoppers", 1_000, 10, 20_000);
        var requests = args.Int("requests", 400, 20, 100_000);
        var concurrency = args.Int("concurrency", 4, 1, 64);
        var reportPath = args.String("report");
        args.RequireAllUsed();

        Console.WriteLine("Starting the AppHost (local mode, scripted Ollama computing real all-MiniLM-L6-v2 embeddings)...");
        var fixture = AppFixture.WithAppHostArgs(BenchmarkHost.QuietLogging);
        await fixture.InitializeAsync();
        try
        {
            using var service = new HttpClient { BaseAddress = fixture.App.GetEndpoint("recommender", "http"), Timeout = TimeSpan.FromMinutes(2) };
            service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.GetServiceKeyAsync());
            await WaitForFirstIndexPassAsync(service);

            // The Recommender's own services in this process, on the AppHost's database, Redis and embedding model.
            using var host = await BuildRecommenderHostAsync(fixture);
            var random = new Random(42);

            Console.WriteLine($"Embedding and storing {productCount:N0} products with the Recommender's ProductIndexer...");
            var catalog = SyntheticCatalog(productCount, random);
            var indexing = Stopwatch.StartNew();
            foreach (var page in catalog.Chunk(200))
            {
                await using var scope = host.Services.CreateAsyncScope();
                var sp = scope.ServiceProvider;
                // The service's periodic index pass (every 2 minutes) drops products the Storefront's catalog does not list,
                // by the time they were last seen: the synthetic ones are stamped as seen hours ahead, so they stay for the run.
                var indexer = new ProductIndexer(sp.GetRequiredService<RecommenderDbContext>(), sp.GetRequiredService<EmbeddingModel>(),
                    sp.GetRequiredService<RecommenderTelemetry>(), new ClockAhead(TimeSpan.FromHours(6)));
                await indexer.IndexAsync(page, 32, CancellationToken.None);
            }

            indexing.Stop();
            var embeddingRate = productCount / indexing.Elapsed.TotalSeconds;
            await RequireIndexedAsync(host, catalog.Count);

            Console.WriteLine($"Storing {shopperCount:N0} shoppers x {InteractionsPerShopper} interactions and building their profiles...");
            var shoppers = await StoreShoppersAsync(host, catalog, shopperCount, random);

            var bareVectors = await LoadProfileVectorsAsync(host, shoppers);
            var plan = await ExplainNearestAsync(host, bareVectors[0]);

            Console.WriteLine($"Timing {requests} requests per row at {concurrency} concurrent...");
            // Warm-up: JIT, pools, query plans.
            await MeasureAsync("warm-up", 40, concurrency, i => GetAsync(service, $"/api/recommendations/similar/{catalog[i].Id}?count=10"));
            await MeasureAsync("warm-up", 40, concurrency, i => BareNearestAsync(host, bareVectors[i % bareVectors.Count]));

            var uncachedShoppers = shoppers.Take(requests).ToList();
            var results = new List<Measurement>
            {
                await MeasureAsync("bare pgvector kNN (HNSW, 60 nearest)", requests, concurrency, i => BareNearestAsync(host, bareVectors[i % bareVectors.Count])),
                await MeasureAsync("recommendations for a shopper, uncached", uncachedShoppers.Count, concurrency,
                    i => GetAsync(service, $"/api/recommendations/shoppers/{uncachedShoppers[i]}?count=10", uncachedShoppers[i])),
                await MeasureAsync("recommendations for a shopper, cached", uncachedShoppers.Count, concurrency,
                    i => GetAsync(service, $"/api/recommendations/shoppers/{uncachedShoppers[i]}?count=10", uncachedShoppers[i])),
                await MeasureAsync("similar products, uncached", requests, concurrency,
                    i => GetAsync(service, $"/api/recommendations/similar/{catalog[100 + i % (catalog.Count - 100)].Id}?count=10")),
                await MeasureAsync("semantic search (embeds the query)", requests, concurrency,
                    i => GetAsync(service, $"/api/recommendations/search?q={Uri.EscapeDataString(SearchText(i))}&count=10")),
            };

            Console.WriteLine("Publishing interaction events and waiting for the shopper's list to change...");
            var freshness = await MeasureFreshnessAsync(host, service, catalog, shoppers.Skip(requests).Take(10).ToList(), random);

            Console.WriteLine();
            Console.WriteLine($"Catalog {productCount:N0} products, {shopperCount:N0} shoppers, {shopperCount * InteractionsPerShopper:N0} interactions; " +
                              $"{concurrency} concurrent requests.");
            Console.WriteLine($"{"run",-44} {"requests",8} {"errors",6} {"p50 ms",8} {"p99 ms",8} {"req/s",8}");
            foreach (var m in results)
            {
                Console.WriteLine($"{m.Name,-44} {m.Count,8} {m.Errors,6} {m.P(0.50),8:F1} {m.P(0.99),8:F1} {m.Throughput,8:F0}");
            }

            var bare = results[0];
            var uncached = results[1];
            Console.WriteLine($"Overhead ratio (uncached recommendations p99 / bare kNN p99): {uncached.P(0.99) / bare.P(0.99):F2} (goal <= 2)");
            Console.WriteLine($"Embedding and storing: {embeddingRate:F0} products/s ({productCount:N0} in {indexing.Elapsed.TotalSeconds:F1} s)");
            Console.WriteLine($"Interaction event -> changed list: p50 {Percentile(freshness, 0.5):F0} ms, max {freshness.Max():F0} ms over {freshness.Count} events (goal < 2000 ms)");
            Console.WriteLine("Plan of the nearest-products query:");
            Console.WriteLine("  " + string.Join("\n  ", plan));
            foreach (var m in results.Where(m => m.FirstErrors.Count > 0))
            {
                Console.WriteLine($"Errors in '{m.Name}': {string.Join(" | ", m.FirstErrors)}");
            }

            if (reportPath is not null)
            {
                await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(new
                {
                    products = productCount,
                    shoppers = shopperCount,
                    concurrency,
                    runs = results.Select(m => new { m.Name, requests = m.Count, m.Errors, p50 = m.P(0.5), p99 = m.P(0.99), m.Throughput }),
                    overheadRatioP99 = uncached.P(0.99) / bare.P(0.99),
                    embeddingProductsPerSecond = embeddingRate,
                    eventToChangedListMs = freshness,
                    plan,
                }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
                Console.WriteLine($"Report: {reportPath}");
            }

            return results.Sum(r => r.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task WaitForFirstIndexPassAsync(HttpClient service)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var status = await service.GetFromJsonAsync<ProductIndexStatus>("/api/recommendations/index-status");
            if (status?.FirstPassCompleted == true)
            {
                return;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException("The Recommender did not finish its first index pass within 5 minutes.");
    }

    private static async Task<IHost> BuildRecommenderHostAsync(AppFixture fixture)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:shopdb"] = await fixture.GetConnectionStringAsync("shopdb"),
            ["ConnectionStrings:cache"] = await fixture.GetConnectionStringAsync("cache"),
            ["ConnectionStrings:embedding"] = await fixture.GetConnectionStringAsync("embedding"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddApplicationServices();
        // Only the services are used: the workers (index, consumers, sweep) run in the AppHost's Recommender, not here.
        builder.Services.RemoveAll<IHostedService>();
        return builder.Build();
    }

    private static async Task RequireIndexedAsync(IHost host, int count)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var indexed = await scope.ServiceProvider.GetRequiredService<RecommenderDbContext>().ProductVectors.CountAsync(v => v.ProductId >= FirstProductId);
        if (indexed != count)
        {
            throw new InvalidOperationException($"Expected {count} synthetic products in the index, found {indexed}.");
        }
    }

    private sealed class ClockAhead(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    private static List<CatalogFeedItem> SyntheticCatalog(int count, Random random) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var kind = Kinds[i % Kinds.Length];
            var adjective = Adjectives[random.Next(Adjectives.Length)];
            var brand = Brands[random.Next(Brands.Length)];
            var name = $"{brand} {adjective} {kind.TrimEnd('s')} {100 + i / Kinds.Length}";
            return new CatalogFeedItem(FirstProductId + i, name, 1000 + i % Kinds.Length, kind, brand,
                $"The {name} is a {adjective.ToLowerInvariant()} choice in {kind.ToLowerInvariant()}, made by {brand} for everyday use.",
                new Dictionary<string, string> { ["Model"] = $"{brand[..3].ToUpperInvariant()}-{i}", ["Colour"] = random.Next(3) switch { 0 => "Black", 1 => "Blue", _ => "Grey" } },
                Stock: 1 + random.Next(50));
        }),
    ];

    /// <summary>Each shopper favours two kinds of product (as real shoppers do), with views, some carts and purchases.</summary>
    private static async Task<List<string>> StoreShoppersAsync(IHost host, List<CatalogFeedItem> catalog, int count, Random random)
    {
        var byKind = catalog.GroupBy(p => p.CategoryId).Select(g => g.ToArray()).ToArray();
        var shoppers = new List<string>();
        var interactionId = 9_000_000_000L;
        var now = DateTimeOffset.UtcNow;
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            var items = new List<InteractionFeedItem>();
            foreach (var s in chunk)
            {
                var userId = $"bench-{s}-{Guid.NewGuid():N}"[..24];
                shoppers.Add(InteractionStore.UserKey(userId));
                var favourites = new[] { byKind[random.Next(byKind.Length)], byKind[random.Next(byKind.Length)] };
                for (var k = 0; k < InteractionsPerShopper; k++)
                {
                    var kindOfProducts = favourites[random.Next(favourites.Length)];
                    var product = kindOfProducts[random.Next(Math.Min(60, kindOfProducts.Length))]; // popular heads of each kind
                    var roll = random.NextDouble();
                    var kind = roll < 0.75 ? "view" : roll < 0.92 ? "cart" : "purchase";
                    items.Add(new InteractionFeedItem(interactionId++, userId, null, product.Id, kind, 0, now.AddMinutes(-random.Next(60 * 24 * 30))));
                }
            }

            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<InteractionStore>().StoreAsync(items, "benchmark", CancellationToken.None);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ShopperProfileBuilder>().RebuildAllAsync(CancellationToken.None);
        }

        return shoppers;
    }

    private static async Task<List<Vector>> LoadProfileVectorsAsync(IHost host, List<string> shoppers)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecommenderDbContext>();
        var vectors = await db.ShopperProfiles.AsNoTracking().Where(p => shoppers.Contains(p.ShopperKey)).Select(p => p.Embedding).ToListAsync();
        return vectors.Count > 0 ? vectors : throw new InvalidOperationException("No shopper profile was built.");
    }

    /// <summary>The query under every personal list, as the engine runs it: HNSW ef_search set for the transaction only.</summary>
    private static async Task BareNearestAsync(IHost host, Vector target)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecommenderDbContext>();
        var model = scope.ServiceProvider.GetRequiredService<EmbeddingModel>().Name;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync(
                "SELECT set_config('hnsw.ef_search', '100', true), set_config('hnsw.iterative_scan', 'relaxed_order', true)");
            _ = await db.ProductVectors.AsNoTracking()
                .Where(v => v.Model == model && v.Stock > 0)
                .OrderBy(v => v.Embedding.CosineDistance(target))
                .Take(60)
                .Select(v => new { v.ProductId, v.Name, v.CategoryId, v.CategoryName, v.Stock, v.Embedding, Distance = v.Embedding.CosineDistance(target) })
                .ToListAsync();
            await transaction.CommitAsync();
        });
    }

    private static async Task<List<string>> ExplainNearestAsync(IHost host, Vector target)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecommenderDbContext>();
        var model = scope.ServiceProvider.GetRequiredService<EmbeddingModel>().Name;
        var query = db.ProductVectors.AsNoTracking().Where(v => v.Model == model && v.Stock > 0)
            .OrderBy(v => v.Embedding.CosineDistance(target)).Take(60).Select(v => v.ProductId);
        var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        try
        {
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return lines;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A shopper views five products of a kind they never touched, one event each (as the Storefront publishes them):
    /// the time from the last event's publication until the list the Storefront would get contains that kind.
    /// </summary>
    private static async Task<List<double>> MeasureFreshnessAsync(IHost host, HttpClient service, List<CatalogFeedItem> catalog, List<string> shoppers, Random random)
    {
        var bus = host.Services.GetRequiredService<RedisEventBus>();
        var results = new List<double>();
        foreach (var shopper in shoppers)
        {
            var before = await GetListAsync(service, shopper);
            var products = catalog.ToDictionary(p => p.Id);
            var touchedKinds = before.Items.Select(i => products.GetValueOrDefault(i.ProductId)?.CategoryId).ToHashSet();
            var newKind = catalog.Select(p => p.CategoryId).Distinct().First(k => !touchedKinds.Contains(k));
            var viewed = catalog.Where(p => p.CategoryId == newKind).OrderBy(_ => random.Next()).Take(5).ToList();
            var userId = shopper["user:".Length..];
            var stopwatch = new Stopwatch();
            foreach (var product in viewed)
            {
                var data = new InteractionRecordedV1(Random.Shared.NextInt64(10_000_000_000, long.MaxValue), userId, null, product.Id, "purchase", 0, DateTimeOffset.UtcNow);
                stopwatch.Restart();
                await bus.PublishAsync(Guid.CreateVersion7().ToString(), EventTypes.InteractionRecorded, data.OccurredAt,
                    JsonSerializer.Serialize(data, EventEnvelope.SerializerOptions));
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var list = await GetListAsync(service, shopper);
                if (list.Items.Count(i => products.GetValueOrDefault(i.ProductId)?.CategoryId == newKind) >= 2)
                {
                    results.Add(stopwatch.Elapsed.TotalMilliseconds);
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The list of {shopper} did not follow five purchases within 30 s.");
                }

                await Task.Delay(20);
            }
        }

        return results;
    }

    private static async Task<RecommendationList> GetListAsync(HttpClient service, string shopper)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recommendations/shoppers/{shopper}?count=12");
        request.Headers.Add(EcomGo.ServiceDefaults.Security.ServiceAuthentication.ShopperKeyHeader, shopper);
        using var response = await service.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RecommendationList>())!;
    }

    private static async Task GetAsync(HttpClient service, string path, string? shopper = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (shopper is not null)
        {
            request.Headers.Add(EcomGo.ServiceDefaults.Security.ServiceAuthentication.ShopperKeyHeader, shopper);
        }

        using var response = await service.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.LoadIntoBufferAsync();
    }

    private static string SearchText(int i) => $"{Adjectives[i % Adjectives.Length].ToLowerInvariant()} {Kinds[(i / Adjectives.Length) % Kinds.Length].ToLowerInvariant()} for {(i % 2 == 0 ? "travel" : "home")} {i}";

    private static async Task<Measurement> MeasureAsync(string name, int count, int concurrency, Func<int, Task> call)
    {
        var measurement = new Measurement(name);
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(i);
                    measurement.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e)
                {
                    measurement.Fail(e.Message);
                }
            }
        }));
        measurement.Wall = wall.Elapsed;
        return measurement;
    }

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private sealed class Measurement(string name)
    {
        private readonly List<double> _latencies = [];

        public string Name { get; } = name;
        public int Errors { get; private set; }
        public List<string> FirstErrors { get; } = [];
        public TimeSpan Wall { get; set; }
        public int Count { get { lock (_latencies) { return _latencies.Count; } } }
        public double Throughput => Count / Wall.TotalSeconds;

        public void Add(double ms)
        {
            lock (_latencies)
            {
                _latencies.Add(ms);
            }
        }

        public void Fail(string message)
        {
            lock (_latencies)
            {
                Errors++;
                if (FirstErrors.Count < 3)
                {
                    FirstErrors.Add(message);
                }
            }
        }

        public double P(double p) => Percentile(_latencies, p);
    }
}
