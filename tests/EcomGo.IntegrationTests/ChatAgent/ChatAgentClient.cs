using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.ServiceDefaults.Contracts;

namespace EcomGo.IntegrationTests.ChatAgent;

/// <summary>
/// Calls the ChatAgent the way the Storefront does: a service call naming the shopper in X-Shopper-Key, reading the
/// Server-Sent Events with the contract's names and records.
/// </summary>
internal sealed class ChatAgentClient(HttpClient http, string shopperKey) : IDisposable
{
    public const string ChatModel = "llama3.1:8b";
    public const string FastModel = "llama3.2:1b";

    public HttpClient Http { get; } = http;

    public string ShopperKey => shopperKey;

    /// <summary>A shopper nobody else uses (the rate limit and conversations are per shopper), called as the Storefront calls.</summary>
    public static Task<ChatAgentClient> ForNewShopperAsync(AppFixture fixture) => ForShopperAsync(fixture, "session:" + Guid.NewGuid().ToString("N"));

    /// <summary>Calls as the Storefront does for the given shopper ('user:{id}' for a signed-in one).</summary>
    public static async Task<ChatAgentClient> ForShopperAsync(AppFixture fixture, string key)
    {
        // A plain client, as the Storefront's: no retries (the test clients' default resilience would retry a 429).
        var http = new HttpClient { BaseAddress = fixture.App.GetEndpoint("chat-agent", "http"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.GetServiceKeyAsync());
        http.DefaultRequestHeaders.Add("X-Shopper-Key", key);
        return new ChatAgentClient(http, key);
    }

    public async Task<ChatTurnResult> SendAsync(string message, Guid? conversationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new ChatRequest(message, conversationId)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /api/chat: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await ReadAsync(await response.Content.ReadAsStreamAsync());
    }

    public static async Task<ChatTurnResult> ReadAsync(Stream stream)
    {
        var events = new List<(string Name, JsonElement Data, TimeSpan At)>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await foreach (var item in SseParser.Create(stream, (type, data) => JsonDocument.Parse(data.ToArray()).RootElement.Clone()).EnumerateAsync())
        {
            events.Add((item.EventType, item.Data, started.Elapsed));
        }

        return new ChatTurnResult(events);
    }

    public void Dispose() => Http.Dispose();
}

internal sealed record ChatTurnResult(List<(string Name, JsonElement Data, TimeSpan At)> Events)
{
    private IEnumerable<T> All<T>(string name) => Events.Where(e => e.Name == name).Select(e => e.Data.Deserialize<T>(JsonSerializerOptions.Web)!);

    public ChatConversationEvent Conversation => All<ChatConversationEvent>(ChatEventNames.Conversation).Single();
    public IReadOnlyList<ChatDeltaEvent> Deltas => All<ChatDeltaEvent>(ChatEventNames.Delta).ToList();
    public string StreamedText => string.Concat(Deltas.Select(d => d.Text));
    public IReadOnlyList<ChatToolEvent> ToolsStarted => All<ChatToolEvent>(ChatEventNames.ToolStarted).ToList();
    public IReadOnlyList<ChatToolEvent> ToolsFinished => All<ChatToolEvent>(ChatEventNames.ToolFinished).ToList();
    public IReadOnlyList<ChatProductCard> Cards => All<ChatProductCard>(ChatEventNames.ProductCard).ToList();
    public ChatCompletedEvent? Completed => All<ChatCompletedEvent>(ChatEventNames.Completed).SingleOrDefault();
    public ChatErrorEvent? Error => All<ChatErrorEvent>(ChatEventNames.Error).SingleOrDefault();

    public string Describe() => string.Join("\n", Events.Select(e => $"{e.Name}: {e.Data.GetRawText()}"));

    /// <summary>The completed event, failing with the whole stream when the turn did not complete.</summary>
    public ChatCompletedEvent RequireCompleted() =>
        Completed ?? throw new Xunit.Sdk.XunitException("The turn did not complete:\n" + Describe());
}
