using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using EcomGo.ServiceDefaults.Contracts;
using Aspire.Hosting.Testing;

namespace EcomGo.Benchmarks;

/// <summary>
/// The chat stack's own cost per turn. The scripted model answers every call after a fixed delay, so the model's part
/// of the wait is known exactly: overhead = time to the first streamed answer text at the caller minus
/// (model calls in the turn x delay). Measured for a shopper through the Storefront's relay and for a direct service
/// call to the ChatAgent, without tools and with one tool call, then with many concurrent streaming conversations.
/// </summary>
public static class ChatOverheadBenchmark
{
    private const string ChatModel = "llama3.1:8b";
    // The ChatAgent lets one shopper start 12 turns a minute; a fresh shopper every few turns keeps the limiter out of the figures.
    private const int TurnsPerShopper = 8;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var turns = args.Int("turns", 200, 10, 10_000);
        var concurrent = args.Int("concurrent", 50, 1, 500);
        var modelDelay = TimeSpan.FromMilliseconds(args.Int("model-delay-ms", 150, 10, 10_000));
        var reportPath = args.String("report");
        args.RequireAllUsed();

        Console.WriteLine($"Starting the AppHost (local mode, scripted Ollama answering after {modelDelay.TotalMilliseconds} ms)...");
        var fixture = AppFixture.WithAppHostArgs(BenchmarkHost.QuietLogging);
        await fixture.InitializeAsync();
        try
        {
            fixture.Ollama.Chat.Delay = modelDelay;
            fixture.Ollama.Chat.WhenUserSays("^bench plain").ForModel(ChatModel)
                .Reply("Happy to help! Our running shoes are in the **Running** category, and deals are marked on each product card.");
            fixture.Ollama.Chat.WhenUserSays("^bench tool").ForModel(ChatModel)
                .CallTool("products_search", new { query = "running shoe", maxPrice = 200 })
                .ThenReply(info => $"I found these for you:\n\n{Summarise(info.ToolResultValues.First())}");

            var shopperPath = new ChatPath("shopper via Storefront", fixture.App.GetEndpoint("storefront", "http"), null);
            var servicePath = new ChatPath("ChatAgent service call", fixture.App.GetEndpoint("chat-agent", "http"), await fixture.GetServiceKeyAsync());

            // Warm-up: JIT, connection pools, EF model, the catalog query plan.
            foreach (var path in new[] { shopperPath, servicePath })
            {
                await RunSequentialAsync(path, "bench plain", 12, modelCalls: 1, modelDelay);
                await RunSequentialAsync(path, "bench tool", 12, modelCalls: 2, modelDelay);
            }

            var memoryBefore = await ChatAgentMemory.ReadAsync(fixture);
            var results = new List<Measurement>
            {
                await RunSequentialAsync(shopperPath, "bench plain", turns, modelCalls: 1, modelDelay),
                await RunSequentialAsync(shopperPath, "bench tool", turns, modelCalls: 2, modelDelay),
                await RunSequentialAsync(servicePath, "bench plain", turns, modelCalls: 1, modelDelay),
                await RunSequentialAsync(servicePath, "bench tool", turns, modelCalls: 2, modelDelay),
                await RunConcurrentAsync(shopperPath, concurrent, turnsEach: 3, modelDelay),
            };
            GC.Collect();
            var memoryAfter = await ChatAgentMemory.ReadAsync(fixture);

            Console.WriteLine();
            Console.WriteLine($"Model delay {modelDelay.TotalMilliseconds} ms per model call; overhead = first answer text at the caller - model calls x delay.");
            Console.WriteLine($"{"run",-52} {"turns",6} {"errors",6} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
            foreach (var m in results)
            {
                Console.WriteLine($"{m.Name,-52} {m.Overheads.Count,6} {m.Errors,6} {m.P(0.50),8:F1} {m.P(0.95),8:F1} {m.Overheads.DefaultIfEmpty().Max(),8:F1}");
            }

            Console.WriteLine($"ChatAgent resident memory: {memoryBefore} after warm-up, {memoryAfter} after the runs.");
            foreach (var m in results.Where(m => m.FirstErrors.Count > 0))
            {
                Console.WriteLine($"Errors in '{m.Name}': {string.Join(" | ", m.FirstErrors)}");
            }

            if (reportPath is not null)
            {
                await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(new
                {
                    modelDelayMs = modelDelay.TotalMilliseconds,
                    runs = results.Select(m => new { m.Name, turns = m.Overheads.Count, m.Errors, p50Ms = m.P(0.50), p95Ms = m.P(0.95) }),
                    chatAgentMemory = new { afterWarmUp = memoryBefore, afterRuns = memoryAfter },
                }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                Console.WriteLine($"Report: {Path.GetFullPath(reportPath)}");
            }

            return results.Sum(m => m.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<Measurement> RunSequentialAsync(ChatPath path, string message, int turns, int modelCalls, TimeSpan modelDelay)
    {
        var measurement = new Measurement($"{path.Name}, {(modelCalls == 1 ? "no tool" : "one tool call")}");
        ChatCaller? caller = null;
        for (var i = 0; i < turns; i++)
        {
            if (i % TurnsPerShopper == 0)
            {
                caller?.Dispose();
                caller = path.NewShopper();
            }

            measurement.Add(await caller!.TimeTurnAsync($"{message} {i}", null, modelCalls, modelDelay));
        }

        caller?.Dispose();
        return measurement;
    }

    /// <summary>Many shoppers at once, each a three-turn conversation (one tool call per turn) reusing its conversation.</summary>
    private static async Task<Measurement> RunConcurrentAsync(ChatPath path, int conversations, int turnsEach, TimeSpan modelDelay)
    {
        var measurement = new Measurement($"{path.Name}, {conversations} concurrent x {turnsEach} turns, tool");
        await Task.WhenAll(Enumerable.Range(0, conversations).Select(async c =>
        {
            using var caller = path.NewShopper();
            Guid? conversation = null;
            for (var t = 0; t < turnsEach; t++)
            {
                var turn = await caller.TimeTurnAsync($"bench tool {c}-{t}", conversation, modelCalls: 2, modelDelay);
                lock (measurement)
                {
                    measurement.Add(turn);
                }

                conversation ??= turn.ConversationId;
            }
        }));
        return measurement;
    }

    private static string Summarise(string toolResult)
    {
        using var json = JsonDocument.Parse(toolResult);
        var lines = new StringBuilder();
        if (json.RootElement.TryGetProperty("products", out var products))
        {
            foreach (var p in products.EnumerateArray().Take(3))
            {
                lines.AppendLine($"- [{p.GetProperty("name").GetString()}](/products/{p.GetProperty("id").GetInt32()})");
            }
        }

        return lines.Length > 0 ? lines.ToString() : "Nothing matched.";
    }

    private sealed record ChatPath(string Name, Uri BaseAddress, string? ServiceKey)
    {
        public ChatCaller NewShopper()
        {
            var http = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
            {
                BaseAddress = BaseAddress,
                Timeout = TimeSpan.FromMinutes(2),
            };
            if (ServiceKey is null)
            {
                http.DefaultRequestHeaders.Add("X-Requested-With", "ecomgo"); // the Storefront's anti-forgery header
            }
            else
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceKey);
                http.DefaultRequestHeaders.Add(EcomGo.ServiceDefaults.Security.ServiceAuthentication.ShopperKeyHeader, "session:bench-" + Guid.NewGuid().ToString("N"));
            }

            return new ChatCaller(http);
        }
    }

    private sealed class ChatCaller(HttpClient http) : IDisposable
    {
        public async Task<TurnTiming> TimeTurnAsync(string message, Guid? conversationId, int modelCalls, TimeSpan modelDelay)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new ChatRequest(message, conversationId)) };
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    return TurnTiming.Failed($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                TimeSpan? firstText = null;
                Guid? conversation = null;
                var completed = false;
                await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
                {
                    switch (item.EventType)
                    {
                        case ChatEventNames.Delta:
                            firstText ??= Stopwatch.GetElapsedTime(started);
                            break;
                        case ChatEventNames.Conversation:
                            conversation = JsonSerializer.Deserialize<ChatConversationEvent>(item.Data, JsonSerializerOptions.Web)?.ConversationId;
                            break;
                        case ChatEventNames.Completed:
                            completed = true;
                            break;
                        case ChatEventNames.Error:
                            return TurnTiming.Failed($"error event: {item.Data}");
                    }
                }

                return completed && firstText is { } ttft
                    ? new TurnTiming((ttft - modelCalls * modelDelay).TotalMilliseconds, conversation, null)
                    : TurnTiming.Failed(completed ? "no answer text" : "stream ended without a completed event");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                return TurnTiming.Failed(e.GetType().Name + ": " + e.Message);
            }
        }

        public void Dispose() => http.Dispose();
    }

    private sealed record TurnTiming(double OverheadMs, Guid? ConversationId, string? Error)
    {
        public static TurnTiming Failed(string error) => new(double.NaN, null, error);
    }

    private sealed class Measurement(string name)
    {
        public string Name { get; } = name;
        public List<double> Overheads { get; } = [];
        public int Errors { get; private set; }
        public List<string> FirstErrors { get; } = [];

        public void Add(TurnTiming turn)
        {
            if (turn.Error is null)
            {
                Overheads.Add(turn.OverheadMs);
                return;
            }

            Errors++;
            if (FirstErrors.Count < 3)
            {
                FirstErrors.Add(turn.Error);
            }
        }

        public double P(double quantile)
        {
            if (Overheads.Count == 0)
            {
                return double.NaN;
            }

            var sorted = Overheads.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        }
    }
}
