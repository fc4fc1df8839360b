using System.Net;
using System.Text;
using System.Text.Json;
using EcomGo.OllamaTestServer;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Exceptions;
using TestServer = EcomGo.OllamaTestServer.OllamaTestServer;

namespace EcomGo.IntegrationTests.OllamaTestServerTests;

/// <summary>Proves the scripted Ollama server speaks the wire format OllamaSharp 5.5.2 expects.</summary>
public sealed class OllamaTestServerTests : IAsyncLifetime
{
    private const string ChatModel = "llama3.2";
    private const string EmbedModel = "all-minilm";

    private TestServer _server = null!;
    private OllamaApiClient _client = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = new OllamaApiClient(_server.Endpoint, ChatModel);
        _http = new HttpClient { BaseAddress = _server.Endpoint };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Root_version_and_running_check()
    {
        Assert.Equal("127.0.0.1", _server.Endpoint.Host);
        Assert.Equal("Ollama is running", await _http.GetStringAsync("/"));
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        Assert.True(await _client.IsRunningAsync());
        Assert.Equal("0.12.0", (await _client.GetVersionAsync()).ToString());
    }

    [Fact]
    public async Task Lists_installed_models_with_details()
    {
        Assert.Empty(await _client.ListLocalModelsAsync());

        _server.AddModel(ChatModel);
        _server.Models.Add(EmbedModel + ":latest");
        _server.Models.Add("llama3.2:latest"); // same model as "llama3.2"

        var models = (await _client.ListLocalModelsAsync()).ToList();
        Assert.Equal(["all-minilm:latest", "llama3.2:latest"], models.Select(m => m.Name).Order().ToArray());
        var llama = models.Single(m => m.Name == "llama3.2:latest");
        Assert.Equal("gguf", llama.Details.Format);
        Assert.Equal("llama", llama.Details.Family);
        Assert.False(string.IsNullOrEmpty(llama.Details.ParameterSize));
        Assert.False(string.IsNullOrEmpty(llama.Details.QuantizationLevel));
        Assert.StartsWith("sha256:", llama.Digest, StringComparison.Ordinal);
        Assert.True(llama.Size > 0);
        Assert.Equal("bert", models.Single(m => m.Name.StartsWith(EmbedModel, StringComparison.Ordinal)).Details.Family);
    }

    [Fact]
    public async Task Show_reports_capabilities_and_404_for_missing_models()
    {
        _server.AddModel(ChatModel);
        _server.AddModel(EmbedModel);

        var chat = await _client.ShowModelAsync("llama3.2:latest");
        Assert.Contains("tools", chat.Capabilities!);
        Assert.Contains("completion", chat.Capabilities!);
        Assert.Equal("gguf", chat.Details!.Format);
        Assert.Equal("llama", chat.Info!.Architecture);

        var embed = await _client.ShowModelAsync(EmbedModel);
        Assert.Equal(["embedding"], embed.Capabilities!);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => _client.ShowModelAsync("not-there"));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);

        using var legacy = await _http.PostAsync("/api/show", Json("""{"name":"not-there"}"""));
        Assert.Equal(HttpStatusCode.NotFound, legacy.StatusCode);
        Assert.Equal("model 'not-there' not found", ErrorOf(await legacy.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Pull_streams_progress_and_installs_the_model()
    {
        _server.Pulls.StepDelay = TimeSpan.FromMilliseconds(10);
        _server.Pulls.Steps = 4;

        var updates = new List<PullModelResponse>();
        await foreach (var update in _client.PullModelAsync("llama3.2:3b"))
        {
            updates.Add(update!);
        }

        var statuses = updates.Select(u => u.Status).ToList();
        Assert.Equal("pulling manifest", statuses[0]);
        Assert.Equal(["verifying sha256 digest", "writing manifest", "success"], statuses.TakeLast(3).ToArray());
        var progress = updates.Where(u => u.Total > 0).ToList();
        Assert.Equal(4, progress.Count);
        Assert.All(progress, p => Assert.Matches("^pulling [0-9a-f]{12}$", p.Status));
        Assert.All(progress, p => Assert.StartsWith("sha256:", p.Digest, StringComparison.Ordinal));
        Assert.Equal([25d, 50d, 75d, 100d], progress.Select(p => Math.Round(p.Percent)).ToArray());

        Assert.Contains("llama3.2:3b", _server.Models);
        Assert.Contains(await _client.ListLocalModelsAsync(), m => m.Name == "llama3.2:3b");
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.Path == "/api/pull" && r.Body.Contains("\"llama3.2:3b\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_pull_surfaces_an_error_and_installs_nothing()
    {
        _server.Pulls.Fail("no-such-model");

        var statuses = new List<string>();
        var ex = await Assert.ThrowsAsync<ResponseError>(async () =>
        {
            await foreach (var update in _client.PullModelAsync("no-such-model"))
            {
                statuses.Add(update!.Status);
            }
        });

        Assert.Equal("pull model manifest: file does not exist", ex.Message);
        Assert.Equal(["pulling manifest"], statuses);
        Assert.Empty(_server.Models);

        using var nonStreaming = await _http.PostAsync("/api/pull", Json("""{"model":"no-such-model","stream":false}"""));
        Assert.False(nonStreaming.IsSuccessStatusCode);
        Assert.Equal("pull model manifest: file does not exist", ErrorOf(await nonStreaming.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Blocked_pull_waits_until_released_and_non_streaming_pull_works()
    {
        _server.Pulls.StepDelay = TimeSpan.Zero;
        _server.Pulls.Block(EmbedModel);

        var pull = Task.Run(async () =>
        {
            var last = "";
            await foreach (var update in _client.PullModelAsync(EmbedModel))
            {
                last = update!.Status;
            }

            return last;
        });

        await WaitUntilAsync(() => _server.Requests.Any(r => r.Path == "/api/pull"));
        await Task.Delay(200);
        Assert.False(pull.IsCompleted);
        Assert.DoesNotContain(EmbedModel, _server.Models);

        _server.Pulls.Release(EmbedModel);
        Assert.Equal("success", await pull.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(EmbedModel, _server.Models);

        using var response = await _http.PostAsync("/api/pull", Json("""{"model":"qwen3:8b","stream":false}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"success"}""", await response.Content.ReadAsStringAsync());
        Assert.Contains("qwen3:8b", _server.Models);
    }

    [Fact]
    public async Task Chat_streams_the_scripted_reply_in_chunks()
    {
        _server.AddModel(ChatModel);
        _server.Chat.WhenUserSays(@"\bhello\b").Reply("Hello! How can I help you with your shopping today?");
        IChatClient chat = _client;

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("Well, HELLO there"))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 3, "expected the reply in several chunks");
        Assert.Equal("Hello! How can I help you with your shopping today?", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.True(usage.Details.InputTokenCount > 0);
        Assert.True(usage.Details.OutputTokenCount > 0);

        var request = _server.Requests.Single(r => r.Path == "/api/chat");
        Assert.Contains("\"stream\":true", request.Body, StringComparison.Ordinal);
        Assert.Equal(1, _server.ChatRequestCount);
    }

    [Fact]
    public async Task Chat_non_streaming_rules_fallback_and_default()
    {
        _server.AddModel(ChatModel);
        _server.AddModel("qwen3");
        _server.Chat.WhenUserSays("price").ForModel("qwen3:latest").Reply(i => $"qwen says {i.Messages.Count} messages");
        _server.Chat.WhenUserSays("price").Reply("It costs 42 EUR.");
        IChatClient chat = _client;

        var response = await chat.GetResponseAsync([new(ChatRole.System, "You are a shop assistant."), new(ChatRole.User, "What is the price?")]);
        Assert.Equal("It costs 42 EUR.", response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.True(response.Usage!.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Contains("\"stream\":false", _server.Requests[^1].Body, StringComparison.Ordinal);

        var qwen = await chat.GetResponseAsync("price?", new ChatOptions { ModelId = "qwen3" });
        Assert.Equal("qwen says 1 messages", qwen.Text);

        Assert.Equal("I am a scripted test model.", (await chat.GetResponseAsync("something else")).Text);

        _server.Chat.Fallback = i => i.LastUserMessage.Contains("terrible", StringComparison.OrdinalIgnoreCase) ? "negative" : null;
        Assert.Equal("negative", (await chat.GetResponseAsync("A terrible product")).Text);
        Assert.Equal("I am a scripted test model.", (await chat.GetResponseAsync("A fine product")).Text);

        ChatRequestInfo? seen = null;
        _server.Chat.Clear();
        _server.Chat.Fallback = i =>
        {
            seen = i;
            return "{\"sentiment\":\"positive\"}";
        };
        var json = await chat.GetResponseAsync("Great shoes", new ChatOptions { ResponseFormat = ChatResponseFormat.Json });
        Assert.Equal("{\"sentiment\":\"positive\"}", json.Text);
        Assert.Equal("json", seen!.Format);
        Assert.Equal("Great shoes", seen.LastUserMessage);

        Assert.Equal(6, _server.ChatRequestCount);
        Assert.All(_server.Requests.Where(r => r.Path == "/api/chat"), r => Assert.Contains("\"CustomHeaders\"", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_with_a_missing_model_is_404()
    {
        IChatClient chat = new OllamaApiClient(_server.Endpoint, "missing-model");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync("hi"));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);

        using var raw = await _http.PostAsync("/api/chat", Json("""{"model":"missing-model","messages":[]}"""));
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        Assert.Equal("model \"missing-model\" not found, try pulling it first", ErrorOf(await raw.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_calling_round_trip_through_function_invocation(bool streaming)
    {
        _server.AddModel(ChatModel);
        _server.Chat.WhenUserSays("stock of (\\w+)")
            .CallTool("get_stock", new { sku = "SHOE-42" })
            .ThenReply(i => $"We have {i.ToolResultValues.Single()} in the warehouse.");

        var calls = new List<string>();
        var tool = AIFunctionFactory.Create(
            (string sku) =>
            {
                calls.Add(sku);
                return $"17 pairs of {sku}";
            },
            "get_stock",
            "Returns the stock level of a product");

        using var chat = new ChatClientBuilder(_client).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [tool] };

        string text;
        if (streaming)
        {
            var sb = new StringBuilder();
            await foreach (var update in chat.GetStreamingResponseAsync("What is the stock of SHOE-42?", options))
            {
                sb.Append(update.Text);
            }

            text = sb.ToString();
        }
        else
        {
            text = (await chat.GetResponseAsync("What is the stock of SHOE-42?", options)).Text;
        }

        Assert.Equal(["SHOE-42"], calls);
        Assert.Equal("We have 17 pairs of SHOE-42 in the warehouse.", text);
        Assert.Equal(2, _server.ChatRequestCount);

        var second = _server.Requests.Where(r => r.Path == "/api/chat").Last();
        using var body = JsonDocument.Parse(second.Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("tool", messages[^1].GetProperty("role").GetString());
        Assert.Contains("get_stock", body.RootElement.GetProperty("tools").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_not_support_tools_maps_to_OllamaSharp_exception()
    {
        _server.AddModel(ChatModel);
        _server.Chat.WhenUserSays(".*").Fail(400, "registry.ollama.ai/library/llama3.2:latest does not support tools");
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => "x", "noop")] };
        IChatClient chat = _client;

        await Assert.ThrowsAsync<ModelDoesNotSupportToolsException>(() => chat.GetResponseAsync("hi", options));

        // The same from a model whose capabilities lack "tools" (like llama3 8B), without any rule.
        _server.Chat.Clear();
        _server.AddModel("llama3", "completion");
        await Assert.ThrowsAsync<ModelDoesNotSupportToolsException>(
            () => chat.GetResponseAsync("hi", new ChatOptions { ModelId = "llama3", Tools = options.Tools }));
        Assert.Equal("I am a scripted test model.", (await chat.GetResponseAsync("hi", new ChatOptions { ModelId = "llama3" })).Text);

        _server.Chat.WhenUserSays("boom").Fail(500, "llama runner process has terminated");
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync("boom"));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
    }

    [Fact]
    public async Task Embeddings_are_real_minilm_vectors()
    {
        _server.AddModel(EmbedModel);
        IEmbeddingGenerator<string, Embedding<float>> generator = new OllamaApiClient(_server.Endpoint, EmbedModel);

        var result = await generator.GenerateAsync(["red running shoes", "crimson sneakers for jogging", "stainless steel kitchen knife"]);

        Assert.Equal(3, result.Count);
        Assert.All(result, e => Assert.Equal(384, e.Vector.Length));
        Assert.All(result, e => Assert.InRange(Embeddings.Cosine(e.Vector.Span, e.Vector.Span), 0.999, 1.001));
        var shoes = result[0].Vector.ToArray();
        var sneakers = Embeddings.Cosine(shoes, result[1].Vector.Span);
        var knife = Embeddings.Cosine(shoes, result[2].Vector.Span);
        Assert.True(sneakers > knife + 0.2, $"sneakers {sneakers:F3} should be much closer than knife {knife:F3}");

        // Same text, same vector; norm is 1 (L2-normalised, like Ollama's all-minilm).
        var again = await generator.GenerateAsync(["red running shoes"]);
        Assert.Equal(shoes, again[0].Vector.ToArray());
        Assert.True(again.Usage?.InputTokenCount > 0);

        // Legacy endpoint.
        using var legacy = await _http.PostAsync("/api/embeddings", Json("""{"model":"all-minilm","prompt":"red running shoes"}"""));
        using var doc = JsonDocument.Parse(await legacy.Content.ReadAsStringAsync());
        var vector = doc.RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.InRange(Embeddings.Cosine(vector, shoes), 0.9999, 1.0001);

        // Not installed -> 404.
        IEmbeddingGenerator<string, Embedding<float>> missing = new OllamaApiClient(_server.Endpoint, "nomic-embed-text");
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => missing.GenerateAsync(["x"]));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_400_and_unknown_routes_404()
    {
        using var bad = await _http.PostAsync("/api/chat", Json("{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.False(string.IsNullOrEmpty(ErrorOf(await bad.Content.ReadAsStringAsync())));

        using var unknown = await _http.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        Assert.Contains(_server.Requests, r => r is { Method: "POST", Path: "/api/chat", Body: "{not json" });
    }

    [Fact]
    public async Task Delay_applies_before_answering_and_servers_are_independent()
    {
        _server.AddModel(ChatModel);
        _server.Chat.Delay = TimeSpan.FromMilliseconds(300);
        IChatClient chat = _client;

        var started = DateTimeOffset.UtcNow;
        await chat.GetResponseAsync("hi");
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(280));

        await using var other = await TestServer.StartAsync();
        Assert.NotEqual(_server.Endpoint, other.Endpoint);
        Assert.Empty(other.Models);
        Assert.Equal(0, other.ChatRequestCount);
    }

    [Fact]
    public async Task Parallel_requests_are_answered_and_recorded()
    {
        _server.AddModel(ChatModel);
        _server.AddModel(EmbedModel);
        _server.Chat.WhenUserSays(@"^echo (.+)$").Reply(i => i.LastUserMessage[5..]);
        IChatClient chat = _client;
        IEmbeddingGenerator<string, Embedding<float>> generator = new OllamaApiClient(_server.Endpoint, EmbedModel);

        var chats = Enumerable.Range(0, 16).Select(async i => (i, (await chat.GetResponseAsync($"echo {i}")).Text));
        var embeds = Enumerable.Range(0, 8).Select(async i => (await generator.GenerateAsync([$"product number {i}"]))[0].Vector.Length);

        Assert.All(await Task.WhenAll(chats), r => Assert.Equal(r.i.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Text));
        Assert.All(await Task.WhenAll(embeds), length => Assert.Equal(384, length));
        Assert.Equal(16, _server.ChatRequestCount);
        Assert.Equal(8, _server.Requests.Count(r => r.Path == "/api/embed"));

        Assert.True(_server.Models.Remove("llama3.2:latest"));
        Assert.DoesNotContain(ChatModel, _server.Models);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string? ErrorOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetString();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
