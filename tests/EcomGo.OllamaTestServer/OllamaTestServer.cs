using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcomGo.OllamaTestServer;

/// <summary>
/// An Ollama-compatible HTTP server (as OllamaSharp 5.5.2 speaks it) with scripted behaviour, for tests.
/// Chat answers come from <see cref="Chat"/>, pulls follow <see cref="Pulls"/>, embeddings are real all-MiniLM-L6-v2 vectors.
/// </summary>
public sealed partial class OllamaTestServer : IAsyncDisposable
{
    private const string NdJson = "application/x-ndjson";
    private const string JsonContentType = "application/json; charset=utf-8";
    private const string BodyKey = "EcomGo.OllamaTestServer.Body";

    // Relaxed escaping keeps replies readable on the wire (no \u0022 for quotes, no \uXXXX for non-ASCII text).
    private static readonly JsonSerializerOptions WireOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ModelCollection _models = new();
    private readonly ConcurrentDictionary<string, string[]> _capabilities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _digests = new(StringComparer.Ordinal);
    private readonly object _requestsGate = new();
    private readonly List<RecordedRequest> _requests = [];
    private WebApplication? _app;
    private int _chatRequestCount;

    private OllamaTestServer()
    {
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Names of installed models (thread-safe; "x" and "x:latest" are the same). Initially empty.</summary>
    public ICollection<string> Models => _models;

    /// <summary>How pulls behave.</summary>
    public PullScript Pulls { get; } = new();

    /// <summary>How chats are answered.</summary>
    public ChatScript Chat { get; } = new();

    /// <summary>Every request received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsGate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Number of <c>POST /api/chat</c> requests received.</summary>
    public int ChatRequestCount => Volatile.Read(ref _chatRequestCount);

    /// <summary>Starts Kestrel on http://127.0.0.1:&lt;free port&gt;.</summary>
    public static Task<OllamaTestServer> StartAsync(CancellationToken ct = default) => StartAsync(new IPEndPoint(IPAddress.Loopback, 0), ct);

    public static async Task<OllamaTestServer> StartAsync(IPEndPoint listenOn, CancellationToken ct = default)
    {
        var server = new OllamaTestServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(OllamaTestServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        // Ignore appsettings*.json in the test's output folder and ASPNETCORE_* variables (URLs, Kestrel endpoints, log levels).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = string.Empty,
            ["http_ports"] = string.Empty,
            ["https_ports"] = string.Empty,
        });
        builder.WebHost.UseKestrel(o => o.Listen(listenOn));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error); // e.g. "Overriding address(es)" when ASPNETCORE_URLS is set
        builder.Logging.AddSimpleConsole();

        var app = builder.Build();
        server.Configure(app);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        server.Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        server._app = app;
        return server;
    }

    /// <summary>Installs a model (same as <c>Models.Add</c>).</summary>
    public void AddModel(string name) => _models.Add(name);

    /// <summary>Installs a model with these /api/show capabilities (e.g. "completion" only: chats with tools then get 400 "does not support tools").</summary>
    public void AddModel(string name, params string[] capabilities)
    {
        SetCapabilities(name, capabilities);
        _models.Add(name);
    }

    /// <summary>
    /// Overrides a model's capabilities. Default: ["embedding"] for names containing "minilm"/"embed", else ["completion","tools"].
    /// A chat with tools to a model without "tools" answers 400 "... does not support tools"; a chat to a model without "completion" answers 400 "... does not support chat".
    /// </summary>
    public void SetCapabilities(string model, params string[] capabilities) =>
        _capabilities[ModelNames.Normalize(model)] = capabilities.ToArray();

    /// <summary>The capabilities /api/show reports for this model.</summary>
    public IReadOnlyList<string> CapabilitiesOf(string model) =>
        _capabilities.TryGetValue(ModelNames.Normalize(model), out var caps) ? caps
        : ModelNames.IsEmbeddingModel(model) ? ["embedding"]
        : ["completion", "tools"];

    /// <summary>
    /// Makes /api/tags, /api/show and /api/pull report this digest for a model from now on, as if a new version of the
    /// same name had been pulled. Default (and after null): "sha256:" + SHA-256 of the canonical name.
    /// </summary>
    public void SetDigest(string model, string? digest)
    {
        if (digest is null)
        {
            _digests.TryRemove(ModelNames.Normalize(model), out _);
        }
        else
        {
            _digests[ModelNames.Normalize(model)] = digest;
        }
    }

    /// <summary>The digest this server reports for a model.</summary>
    public string DigestOf(string model) => FactsOf(ModelNames.Normalize(model)).Digest;

    private ModelFacts FactsOf(string canonicalName)
    {
        var facts = ModelFacts.For(canonicalName);
        return _digests.TryGetValue(canonicalName, out var digest) ? facts with { Digest = digest } : facts;
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_requestsGate)
        {
            _requests.Clear();
        }

        Interlocked.Exchange(ref _chatRequestCount, 0);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        Pulls.Reset();
        if (_app is { } app)
        {
            _app = null;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // shutting down anyway
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Configure(WebApplication app)
    {
        app.Use(RecordAsync);

        app.MapMethods("/", ["GET", "HEAD"], (RequestDelegate)(ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : ctx.Response.WriteAsync("Ollama is running");
        }));
        app.MapMethods("/api/version", ["GET", "HEAD"], (RequestDelegate)(ctx => WriteJsonAsync(ctx, 200, new JsonObject { ["version"] = "0.12.0" })));
        app.MapGet("/api/tags", (RequestDelegate)HandleTagsAsync);
        app.MapGet("/api/ps", (RequestDelegate)(ctx => WriteJsonAsync(ctx, 200, new JsonObject { ["models"] = new JsonArray() })));
        app.MapPost("/api/show", (RequestDelegate)(ctx => WithJsonBody(ctx, HandleShowAsync)));
        app.MapPost("/api/pull", (RequestDelegate)(ctx => WithJsonBody(ctx, HandlePullAsync)));
        app.MapDelete("/api/delete", (RequestDelegate)(ctx => WithJsonBody(ctx, HandleDeleteAsync)));
        app.MapPost("/api/chat", (RequestDelegate)(ctx => WithJsonBody(ctx, HandleChatAsync)));
        app.MapPost("/api/embed", (RequestDelegate)(ctx => WithJsonBody(ctx, HandleEmbedAsync)));
        app.MapPost("/api/embeddings", (RequestDelegate)(ctx => WithJsonBody(ctx, HandleLegacyEmbeddingsAsync)));
        app.MapFallback((RequestDelegate)(ctx =>
        {
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            return ctx.Response.WriteAsync("404 page not found");
        }));
    }

    private async Task RecordAsync(HttpContext ctx, RequestDelegate next)
    {
        var body = string.Empty;
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        }

        ctx.Items[BodyKey] = body;
        if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.Equals("/api/chat", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _chatRequestCount);
        }

        lock (_requestsGate)
        {
            _requests.Add(new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", body, DateTimeOffset.UtcNow));
        }

        await next(ctx).ConfigureAwait(false);
    }

    private static async Task WithJsonBody(HttpContext ctx, Func<HttpContext, JsonElement, Task> handler)
    {
        var body = ctx.Items[BodyKey] as string ?? string.Empty;
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(ctx, 400, body.Length == 0 ? "EOF" : "invalid JSON: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            await WriteErrorAsync(ctx, 400, "json: cannot unmarshal " + root.ValueKind.ToString().ToLowerInvariant() + " into Go value of type api.Request").ConfigureAwait(false);
            return;
        }

        await handler(ctx, root).ConfigureAwait(false);
    }

    // ---- /api/tags, /api/show, /api/delete ----

    private Task HandleTagsAsync(HttpContext ctx)
    {
        var models = new JsonArray();
        foreach (var name in _models.CanonicalNames())
        {
            var facts = FactsOf(name);
            models.Add(new JsonObject
            {
                ["name"] = name,
                ["model"] = name,
                ["modified_at"] = facts.ModifiedAt,
                ["size"] = facts.Size,
                ["digest"] = facts.Digest,
                ["details"] = facts.Details(),
            });
        }

        return WriteJsonAsync(ctx, 200, new JsonObject { ["models"] = models });
    }

    private Task HandleShowAsync(HttpContext ctx, JsonElement body)
    {
        var name = GetString(body, "model") ?? GetString(body, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return WriteErrorAsync(ctx, 400, "model is required");
        }

        if (!_models.Contains(name))
        {
            return WriteErrorAsync(ctx, 404, $"model '{name}' not found");
        }

        var canonical = ModelNames.Normalize(name);
        var facts = FactsOf(canonical);
        var capabilities = new JsonArray();
        foreach (var c in CapabilitiesOf(canonical))
        {
            capabilities.Add(c);
        }

        var arch = facts.Family;
        return WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["license"] = "Scripted test model; no license.",
            ["modelfile"] = $"# Modelfile generated by \"ollama show\"\nFROM /root/.ollama/models/blobs/{facts.Digest.Replace(':', '-')}\nTEMPLATE \"{{{{ .Prompt }}}}\"\n",
            ["parameters"] = facts.IsEmbedding ? "" : "stop                           \"<|eot_id|>\"",
            ["template"] = facts.IsEmbedding ? "{{ .Prompt }}" : "{{- range .Messages }}{{ .Role }}: {{ .Content }}\n{{ end }}{{- if .Tools }}{{ .Tools }}{{ end }}",
            ["details"] = facts.Details(),
            ["model_info"] = new JsonObject
            {
                ["general.architecture"] = arch,
                ["general.basename"] = canonical.Split(':')[0],
                ["general.parameter_count"] = facts.ParameterCount,
                ["general.file_type"] = facts.IsEmbedding ? 1 : 15,
                ["general.quantization_version"] = 2,
                [arch + ".context_length"] = facts.IsEmbedding ? 512 : 131072,
                [arch + ".embedding_length"] = facts.IsEmbedding ? Embeddings.Dimensions : 3072,
                [arch + ".block_count"] = facts.IsEmbedding ? 6 : 28,
            },
            ["capabilities"] = capabilities,
            ["modified_at"] = facts.ModifiedAt,
        });
    }

    private Task HandleDeleteAsync(HttpContext ctx, JsonElement body)
    {
        var name = GetString(body, "model") ?? GetString(body, "name");
        if (string.IsNullOrWhiteSpace(name) || !_models.Remove(name))
        {
            return WriteErrorAsync(ctx, 404, $"model '{name}' not found");
        }

        ctx.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    // ---- /api/pull ----

    private async Task HandlePullAsync(HttpContext ctx, JsonElement body)
    {
        var name = GetString(body, "model") ?? GetString(body, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            await WriteErrorAsync(ctx, 400, "model is required").ConfigureAwait(false);
            return;
        }

        var stream = GetBool(body, "stream") ?? true;
        var ct = ctx.RequestAborted;
        var failure = Pulls.FailureFor(name);
        var facts = FactsOf(ModelNames.Normalize(name));
        var steps = Math.Max(1, Pulls.Steps);

        if (!stream)
        {
            await Pulls.WaitIfBlockedAsync(name, ct).ConfigureAwait(false);
            if (failure is not null)
            {
                await WriteErrorAsync(ctx, 500, failure).ConfigureAwait(false);
                return;
            }

            await DelayAsync(Pulls.StepDelay * steps, ct).ConfigureAwait(false);
            _models.Add(name);
            await WriteJsonAsync(ctx, 200, new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = NdJson;
        await WriteLineAsync(ctx, new JsonObject { ["status"] = "pulling manifest" }).ConfigureAwait(false);
        await Pulls.WaitIfBlockedAsync(name, ct).ConfigureAwait(false);
        await DelayAsync(Pulls.StepDelay, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            await WriteLineAsync(ctx, new JsonObject { ["error"] = failure }).ConfigureAwait(false);
            return;
        }

        var hex = facts.Digest["sha256:".Length..];
        for (var k = 1; k <= steps; k++)
        {
            await WriteLineAsync(ctx, new JsonObject
            {
                ["status"] = "pulling " + hex[..12],
                ["digest"] = facts.Digest,
                ["total"] = facts.Size,
                ["completed"] = facts.Size * k / steps,
            }).ConfigureAwait(false);
            await DelayAsync(Pulls.StepDelay, ct).ConfigureAwait(false);
        }

        await WriteLineAsync(ctx, new JsonObject { ["status"] = "verifying sha256 digest" }).ConfigureAwait(false);
        await WriteLineAsync(ctx, new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
        _models.Add(name);
        await WriteLineAsync(ctx, new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
    }

    // ---- /api/chat ----

    private async Task HandleChatAsync(HttpContext ctx, JsonElement body)
    {
        var model = await RequireInstalledModelAsync(ctx, body).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        var info = ParseChatRequest(model, body);
        var capabilities = CapabilitiesOf(model);
        if (!capabilities.Contains("completion"))
        {
            await WriteErrorAsync(ctx, 400, $"\"{model}\" does not support chat").ConfigureAwait(false);
            return;
        }

        if (info.ToolNames.Count > 0 && !capabilities.Contains("tools"))
        {
            await WriteErrorAsync(ctx, 400, $"registry.ollama.ai/library/{ModelNames.Normalize(model)} does not support tools").ConfigureAwait(false);
            return;
        }

        var ct = ctx.RequestAborted;
        ChatOutcome outcome;
        try
        {
            outcome = Chat.Resolve(info);
        }
#pragma warning disable CA1031 // a failing script must answer 500, as a crashing model would
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await WriteErrorAsync(ctx, 500, "scripted reply threw: " + ex.Message).ConfigureAwait(false);
            return;
        }

        await DelayAsync(Chat.Delay, ct).ConfigureAwait(false);
        if (outcome.ErrorStatus is { } status)
        {
            await WriteErrorAsync(ctx, status, outcome.ErrorMessage ?? "error").ConfigureAwait(false);
            return;
        }

        var promptTokens = CountPromptTokens(info);
        var evalTokens = outcome.ToolCalls is { } calls
            ? calls.Sum(c => 8 + CountTokens(c.Arguments.GetRawText()))
            : CountTokens(outcome.Content ?? string.Empty);

        if (!info.Stream)
        {
            var message = AssistantMessage(outcome.Content ?? string.Empty, outcome.ToolCalls);
            var response = ChatChunk(model, message, done: true);
            AddDoneFields(response, promptTokens, evalTokens);
            await WriteJsonAsync(ctx, 200, response).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = NdJson;
        if (outcome.ToolCalls is { } toolCalls)
        {
            await WriteLineAsync(ctx, ChatChunk(model, AssistantMessage(string.Empty, toolCalls), done: false)).ConfigureAwait(false);
        }
        else
        {
            var first = true;
            foreach (var piece in SplitIntoChunks(outcome.Content ?? string.Empty))
            {
                if (!first)
                {
                    await DelayAsync(Chat.ChunkDelay, ct).ConfigureAwait(false);
                }

                first = false;
                await WriteLineAsync(ctx, ChatChunk(model, AssistantMessage(piece, null), done: false)).ConfigureAwait(false);
            }
        }

        var done = ChatChunk(model, AssistantMessage(string.Empty, null), done: true);
        AddDoneFields(done, promptTokens, evalTokens);
        await WriteLineAsync(ctx, done).ConfigureAwait(false);
    }

    private static ChatRequestInfo ParseChatRequest(string model, JsonElement body)
    {
        var messages = new List<ChatMessageInfo>();
        if (body.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                if (m.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var toolCallNames = new List<string>();
                if (m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in tc.EnumerateArray())
                    {
                        if (call.ValueKind == JsonValueKind.Object
                            && call.TryGetProperty("function", out var fn)
                            && GetString(fn, "name") is { } fnName)
                        {
                            toolCallNames.Add(fnName);
                        }
                    }
                }

                messages.Add(new ChatMessageInfo(GetString(m, "role") ?? "user", GetString(m, "content") ?? string.Empty)
                {
                    ToolCallNames = toolCallNames,
                });
            }
        }

        var toolNames = new List<string>();
        if (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in tools.EnumerateArray())
            {
                if (t.ValueKind == JsonValueKind.Object
                    && t.TryGetProperty("function", out var fn)
                    && GetString(fn, "name") is { } name)
                {
                    toolNames.Add(name);
                }
            }
        }

        string? format = null;
        if (body.TryGetProperty("format", out var f))
        {
            format = f.ValueKind switch
            {
                JsonValueKind.String => f.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => f.GetRawText(),
            };
        }

        return new ChatRequestInfo(model, messages, toolNames, format, body);
    }

    private static JsonObject AssistantMessage(string content, IReadOnlyList<(string Name, JsonElement Arguments)>? toolCalls)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (toolCalls is { Count: > 0 })
        {
            var calls = new JsonArray();
            for (var i = 0; i < toolCalls.Count; i++)
            {
                calls.Add(new JsonObject
                {
                    ["function"] = new JsonObject
                    {
                        ["index"] = i,
                        ["name"] = toolCalls[i].Name,
                        ["arguments"] = JsonNode.Parse(toolCalls[i].Arguments.GetRawText()),
                    },
                });
            }

            message["tool_calls"] = calls;
        }

        return message;
    }

    private static JsonObject ChatChunk(string model, JsonObject message, bool done) => new()
    {
        ["model"] = model,
        ["created_at"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["message"] = message,
        ["done"] = done,
    };

    private static void AddDoneFields(JsonObject response, int promptTokens, int evalTokens)
    {
        const long loadNs = 2_500_000;
        var promptNs = promptTokens * 400_000L;
        var evalNs = evalTokens * 15_000_000L;
        response["done_reason"] = "stop";
        response["total_duration"] = loadNs + promptNs + evalNs + 1_000_000;
        response["load_duration"] = loadNs;
        response["prompt_eval_count"] = promptTokens;
        response["prompt_eval_duration"] = promptNs;
        response["eval_count"] = evalTokens;
        response["eval_duration"] = evalNs;
    }

    internal static IEnumerable<string> SplitIntoChunks(string text)
    {
        var words = SplitAfterWhitespace().Split(text).Where(w => w.Length > 0).ToArray();
        if (words.Length <= 1)
        {
            yield return text;
            yield break;
        }

        var chunks = Math.Min(4, words.Length);
        for (var c = 0; c < chunks; c++)
        {
            var from = c * words.Length / chunks;
            var to = (c + 1) * words.Length / chunks;
            yield return string.Concat(words[from..to]);
        }
    }

    private static int CountTokens(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return Math.Max(1, (int)Math.Ceiling(words * 1.3));
    }

    private static int CountPromptTokens(ChatRequestInfo info) =>
        10 + info.Messages.Sum(m => 4 + CountTokens(m.Content)) + (info.ToolNames.Count * 40);

    // ---- /api/embed, /api/embeddings ----

    private async Task HandleEmbedAsync(HttpContext ctx, JsonElement body)
    {
        var model = await RequireInstalledModelAsync(ctx, body).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        var inputs = new List<string>();
        if (body.TryGetProperty("input", out var input))
        {
            switch (input.ValueKind)
            {
                case JsonValueKind.String:
                    inputs.Add(input.GetString() ?? string.Empty);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in input.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            await WriteErrorAsync(ctx, 400, "invalid input type").ConfigureAwait(false);
                            return;
                        }

                        inputs.Add(item.GetString() ?? string.Empty);
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    await WriteErrorAsync(ctx, 400, "invalid input type").ConfigureAwait(false);
                    return;
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var vectors = await Task.Run(() => Embeddings.Embed(inputs, ctx.RequestAborted), ctx.RequestAborted).ConfigureAwait(false);
        var elapsedNs = (long)(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds * 1_000_000);

        var embeddings = new JsonArray();
        foreach (var v in vectors)
        {
            embeddings.Add(ToJsonArray(v));
        }

        await WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["model"] = model,
            ["embeddings"] = embeddings,
            ["total_duration"] = elapsedNs + 1_000_000,
            ["load_duration"] = 1_000_000L,
            ["prompt_eval_count"] = inputs.Sum(i => 2 + CountTokens(i)),
        }).ConfigureAwait(false);
    }

    private async Task HandleLegacyEmbeddingsAsync(HttpContext ctx, JsonElement body)
    {
        var model = await RequireInstalledModelAsync(ctx, body).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        var prompt = GetString(body, "prompt") ?? string.Empty;
        var vector = prompt.Length == 0
            ? []
            : (await Task.Run(() => Embeddings.Embed([prompt], ctx.RequestAborted), ctx.RequestAborted).ConfigureAwait(false))[0];
        await WriteJsonAsync(ctx, 200, new JsonObject { ["embedding"] = ToJsonArray(vector) }).ConfigureAwait(false);
    }

    private static JsonArray ToJsonArray(float[] vector)
    {
        var array = new JsonArray();
        foreach (var x in vector)
        {
            array.Add(x);
        }

        return array;
    }

    // ---- helpers ----

    /// <summary>The request's model when it is installed; otherwise answers 400/404 as Ollama does and returns null.</summary>
    private async Task<string?> RequireInstalledModelAsync(HttpContext ctx, JsonElement body)
    {
        var model = GetString(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            await WriteErrorAsync(ctx, 400, "model is required").ConfigureAwait(false);
            return null;
        }

        if (!_models.Contains(model))
        {
            await WriteErrorAsync(ctx, 404, $"model \"{model}\" not found, try pulling it first").ConfigureAwait(false);
            return null;
        }

        return model;
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? GetBool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        } : null;

    private static Task DelayAsync(TimeSpan delay, CancellationToken ct) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, ct) : Task.CompletedTask;

    private static Task WriteErrorAsync(HttpContext ctx, int status, string error) =>
        WriteJsonAsync(ctx, status, new JsonObject { ["error"] = error });

    private static async Task WriteJsonAsync(HttpContext ctx, int status, JsonNode node)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = JsonContentType;
        await ctx.Response.WriteAsync(node.ToJsonString(WireOptions), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteLineAsync(HttpContext ctx, JsonNode node)
    {
        await ctx.Response.WriteAsync(node.ToJsonString(WireOptions) + "\n", ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    [GeneratedRegex(@"(?<=\s)")]
    private static partial Regex SplitAfterWhitespace();

    /// <summary>Plausible, deterministic facts about a model, derived from its name.</summary>
    private sealed record ModelFacts(string Name, string Digest, long Size, string Family, string ParameterSize, long ParameterCount, string Quantization, bool IsEmbedding)
    {
        public string ModifiedAt => "2025-09-18T10:15:30.1234567Z";

        public static ModelFacts For(string canonicalName)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalName)));
            if (ModelNames.IsEmbeddingModel(canonicalName))
            {
                var bert = canonicalName.Contains("minilm", StringComparison.Ordinal);
                return new ModelFacts(canonicalName, digest, bert ? 45_960_996 : 274_302_450, bert ? "bert" : "nomic-bert",
                    bert ? "23M" : "137M", bert ? 22_565_376 : 136_727_040, "F16", true);
            }

            var tag = canonicalName[(canonicalName.LastIndexOf(':') + 1)..];
            var match = ParameterTag().Match(tag);
            var billions = match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 3.2;
            var family = canonicalName.StartsWith("qwen", StringComparison.Ordinal) ? "qwen2"
                : canonicalName.StartsWith("mistral", StringComparison.Ordinal) ? "llama"
                : canonicalName.StartsWith("gemma", StringComparison.Ordinal) ? "gemma3"
                : "llama";
            var parameterCount = (long)(billions * 1_000_000_000);
            return new ModelFacts(canonicalName, digest, (long)(parameterCount * 0.63), family,
                billions.ToString("0.#", CultureInfo.InvariantCulture) + "B", parameterCount, "Q4_K_M", false);
        }

        public JsonObject Details() => new()
        {
            ["parent_model"] = "",
            ["format"] = "gguf",
            ["family"] = Family,
            ["families"] = new JsonArray(Family),
            ["parameter_size"] = ParameterSize,
            ["quantization_level"] = Quantization,
        };
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)b", RegexOptions.IgnoreCase)]
    private static partial Regex ParameterTag();
}
