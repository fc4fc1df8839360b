using System.Net;
using System.Net.Http.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.IntegrationTests.Storefront;
using EcomGo.Recommender.Data;
using EcomGo.Recommender.Services;
using EcomGo.ServiceDefaults.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OllamaSharp;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Recommender;

/// <summary>
/// The Recommender's indexer against the app's real database and real embeddings (the scripted Ollama's MiniLM): only
/// changed products are re-embedded, a model change re-embeds, and vectors of two models are never compared.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProductIndexTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_model_change_re_embeds_only_changed_products_are_re_embedded_and_models_never_mix()
    {
        var status = await RecommenderKit.WaitForIndexAsync(fixture);
        output.WriteLine($"index: {status.IndexedProducts} products with {status.Model} ({status.Dimensions} dimensions)");
        using var storefront = await fixture.CreateServiceClientAsync("storefront");
        var products = (await storefront.GetFromJsonAsync<List<CatalogFeedItem>>("/api/catalog/feed?afterId=0&take=3", StorefrontClient.Json))!;
        Assert.Equal(3, products.Count);
        var ids = products.Select(p => p.Id).ToArray();

        var options = new DbContextOptionsBuilder<RecommenderDbContext>()
            .UseNpgsql(await fixture.GetConnectionStringAsync("shopdb"), npgsql => npgsql.UseVector())
            .Options;
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new RecommenderTelemetry(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new ProductIndexProgress());
        using var ollama = new OllamaApiClient(fixture.Ollama.Endpoint, "all-minilm");
        IEmbeddingGenerator<string, Embedding<float>> generator = ollama;
        await using var db = new RecommenderDbContext(options);
        var current = new ProductIndexer(db, new EmbeddingModel(generator, status.Model), telemetry, TimeProvider.System);
        var renamed = $"{status.Model}-renamed-{Guid.NewGuid():N}";
        var other = new ProductIndexer(db, new EmbeddingModel(generator, renamed), telemetry, TimeProvider.System);
        using var recommender = await RecommenderKit.RecommenderClientAsync(fixture);

        // Indexed already, unchanged: nothing is embedded again.
        Assert.Equal(0, await current.IndexAsync(products, 32, CancellationToken.None));

        try
        {
            // Another model: every product is re-embedded and stored with the new model's name and dimension.
            var before = await UpdatedAtAsync(db, ids);
            Assert.Equal(3, await other.IndexAsync(products, 32, CancellationToken.None));
            var rows = await db.ProductVectors.AsNoTracking().Where(v => ids.Contains(v.ProductId)).ToListAsync();
            Assert.All(rows, r => Assert.Equal(renamed, r.Model));
            Assert.All(rows, r => Assert.Equal(384, r.Dimensions));
            Assert.All(rows, r => Assert.True(r.UpdatedAt > before[r.ProductId]));

            // The service (still on its own model) never compares those vectors with its own: as far as it is concerned
            // these products have no vector now, and they are nobody's neighbour.
            Assert.Equal(HttpStatusCode.NotFound, (await recommender.GetAsync($"/api/recommendations/similar/{ids[0]}?count=7")).StatusCode);
            var search = await recommender.GetFromJsonAsync<RecommendationListDto>(
                "/api/recommendations/search?q=" + Uri.EscapeDataString(products[1].Name) + "&count=20", StorefrontClient.Json);
            Assert.DoesNotContain(search!.Items, i => ids.Contains(i.ProductId));

            // Same model, same text: nothing to do; one edited description: exactly that product.
            Assert.Equal(0, await other.IndexAsync(products, 32, CancellationToken.None));
            var edited = products[0] with { Description = products[0].Description + " Now also in midnight blue." };
            Assert.Equal(1, await other.IndexAsync([edited, products[1], products[2]], 32, CancellationToken.None));
        }
        finally
        {
            // Back to the service's model (its next pass would do the same).
            Assert.Equal(3, await current.IndexAsync(products, 32, CancellationToken.None));
        }

        Assert.Equal(HttpStatusCode.OK, (await recommender.GetAsync($"/api/recommendations/similar/{ids[0]}?count=9")).StatusCode);
    }

    [Fact]
    public async Task The_nearest_products_query_can_be_answered_by_the_HNSW_index()
    {
        var status = await RecommenderKit.WaitForIndexAsync(fixture);
        await using var db = await Db.OpenAsync(fixture);
        var vector = (await db.QueryAsync("""SELECT "Embedding"::text FROM recs."ProductVectors" WHERE "Model" = $1 LIMIT 1""", r => r.GetString(0), status.Model)).Single();

        // The planner's own choice for the demo catalog (a few hundred rows: an exact scan is often cheaper), for the record.
        var chosen = await ExplainAsync(db, vector, status.Model, forbidSequentialScan: false);
        output.WriteLine("Plan chosen by the planner:" + Environment.NewLine + string.Join(Environment.NewLine, chosen));

        // The query shape the service runs (cosine operator, the Model/Stock filters, SET LOCAL ef_search and iterative
        // scans) is one the HNSW index answers: what the planner picks once the catalog is large.
        var indexed = await ExplainAsync(db, vector, status.Model, forbidSequentialScan: true);
        output.WriteLine("Plan without sequential scans:" + Environment.NewLine + string.Join(Environment.NewLine, indexed));
        Assert.Contains(indexed, line => line.Contains("Index Scan using \"IX_ProductVectors_Embedding\"", StringComparison.Ordinal));
    }

    private static async Task<List<string>> ExplainAsync(Npgsql.NpgsqlDataSource db, string vector, string model, bool forbidSequentialScan)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var set = new Npgsql.NpgsqlCommand(
            $"SELECT set_config('hnsw.ef_search', '100', true), set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('enable_seqscan', '{(forbidSequentialScan ? "off" : "on")}', true)",
            connection, transaction))
        {
            await set.ExecuteNonQueryAsync();
        }

        // As RecommendationEngine.NearestAsync asks it (EF's SQL, parameters inlined by the server).
        await using var explain = new Npgsql.NpgsqlCommand(
            """
            EXPLAIN SELECT "ProductId", "Embedding" <=> $1::vector AS distance FROM recs."ProductVectors"
            WHERE "Model" = $2 AND "Stock" > 0 ORDER BY "Embedding" <=> $1::vector LIMIT 60
            """, connection, transaction);
        explain.Parameters.Add(new Npgsql.NpgsqlParameter { Value = vector });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter { Value = model });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0).Length > 160 ? reader.GetString(0)[..160] + "..." : reader.GetString(0));
            }
        }

        await transaction.RollbackAsync();
        return plan;
    }

    private static async Task<Dictionary<int, DateTimeOffset>> UpdatedAtAsync(RecommenderDbContext db, int[] ids) =>
        await db.ProductVectors.AsNoTracking().Where(v => ids.Contains(v.ProductId)).ToDictionaryAsync(v => v.ProductId, v => v.UpdatedAt);
}
