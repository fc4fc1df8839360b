using System.Net;
using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Platform;

[Collection(AppCollection.Name)]
public sealed class PlatformTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Every_resource_is_healthy()
    {
        output.WriteLine($"AppHost start to all healthy: {fixture.StartupTime.TotalSeconds:F1} s");
        var resources = fixture.VisibleResources();
        var expected = new[] { "postgres", "shopdb", "cache", "mail", "ollama", "chat", "fast", "embedding", "service-key" }.Concat(AppFixture.ServiceNames);
        Assert.Equal(expected.Order(), resources.Select(r => r.Name).Order());

        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var resource in resources)
        {
            Assert.True(notifications.TryGetCurrentState(resource.Name, out var state), $"{resource.Name} has no state");
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [InlineData("storefront")]
    [InlineData("review-analyzer")]
    [InlineData("recommender")]
    [InlineData("chat-agent")]
    public async Task Every_service_answers_health_and_alive(string service)
    {
        using var http = fixture.CreateHttpClient(service);

        // "Degraded" (200) while start-up work runs (the Recommender's first index pass, which starts once the shop answers),
        // then "Healthy".
        var deadline = DateTime.UtcNow.AddMinutes(3);
        HttpResponseMessage health;
        string status;
        do
        {
            health = await http.GetAsync("/health");
            status = await health.Content.ReadAsStringAsync();
            if (status != "Degraded")
            {
                break;
            }

            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", status);

        var alive = await http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Models_were_pulled_through_the_Ollama_api_and_are_handed_out_as_connection_strings()
    {
        foreach (var (resource, modelName) in new[] { ("chat", "llama3.1:8b"), ("fast", "llama3.2:1b"), ("embedding", "all-minilm") })
        {
            var connectionString = await fixture.GetConnectionStringAsync(resource);
            Assert.Equal($"Endpoint={fixture.Ollama.Endpoint.GetLeftPart(UriPartial.Authority)};Model={modelName}", connectionString.TrimEnd('/'));
            Assert.Contains(fixture.Ollama.Requests, r => r.Path == "/api/pull" && r.Body.Contains(modelName));
            Assert.Contains(modelName, fixture.Ollama.Models);
        }
    }

    [Fact]
    public async Task Each_service_migrated_its_own_schema_with_its_own_history_table()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.GetConnectionStringAsync("shopdb"));
        await using var command = dataSource.CreateCommand(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = '__EFMigrationsHistory' ORDER BY 1");
        var schemas = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["chat", "recs", "reviews", "storefront"], schemas);

        await using var vector = dataSource.CreateCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        Assert.NotNull(await vector.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Cache_speaks_the_redis_protocol_used_by_the_event_bus()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("cache"));
        var db = redis.GetDatabase();
        var key = $"platform-test:{Guid.NewGuid():N}";

        Assert.True(await db.StringSetAsync(key, "value", TimeSpan.FromMinutes(1)));
        Assert.Equal("value", (string?)await db.StringGetAsync(key));

        await db.ListLeftPushAsync(key + ":list", ["a", "b"]);
        Assert.Equal("a", (string?)await db.ListMoveAsync(key + ":list", key + ":processing", ListSide.Right, ListSide.Left));

        var received = new TaskCompletionSource<string>();
        var channel = RedisChannel.Literal(key + ":channel");
        await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => received.TrySetResult(message!));
        await redis.GetSubscriber().PublishAsync(channel, "hello");
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
