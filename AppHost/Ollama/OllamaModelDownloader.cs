using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EcomGo.AppHost.Ollama;

/// <summary>Outcome of <see cref="OllamaModelDownloader.EnsureModelAsync"/>.</summary>
/// <param name="Model">The model name as asked for.</param>
/// <param name="IsReady">True when <c>/api/show</c> finds the model on the server.</param>
/// <param name="WasPulled">True when a <c>/api/pull</c> was started (the model was missing).</param>
/// <param name="Error">Why the model is not ready (Ollama's own error text where there is one).</param>
public sealed record OllamaModelStatus(string Model, bool IsReady, bool WasPulled, string? Error)
{
    internal static OllamaModelStatus Ready(string model, bool pulled) => new(model, true, pulled, null);

    internal static OllamaModelStatus Failed(string model, bool pulled, string error) => new(model, false, pulled, error);
}

/// <summary>
/// One line of a pull, as shown to people. <see cref="Completed"/> and <see cref="Total"/> are summed over every
/// layer seen so far (Ollama reports per layer), so a model with one big layer and a few small ones reads as one
/// download; both are 0 for status lines without sizes ("pulling manifest", "verifying sha256 digest", ...).
/// </summary>
public sealed record OllamaPullProgress(string Model, string Status, long Completed, long Total)
{
    /// <summary>0-100, rounded down so 100 means really complete; null for status lines without sizes.</summary>
    public int? Percent => Total > 0 ? (int)Math.Min(100, Completed * 100 / Total) : null;

    /// <summary>The dashboard state text, e.g. "Downloading llama3.1:8b 42%".</summary>
    public string Describe() => Percent is { } p
        ? string.Create(CultureInfo.InvariantCulture, $"Downloading {Model} {p}%")
        : $"Pulling {Model}: {Status}";
}

/// <summary>
/// Makes sure an Ollama server has a model: <c>POST /api/show</c>, and when it is missing <c>POST /api/pull</c>
/// (NDJSON progress) and <c>/api/show</c> again. Plain HTTP rather than OllamaSharp because we need Ollama's error
/// text on every failure (OllamaSharp drops the body of a 404) and every progress line as it arrives.
/// </summary>
public sealed class OllamaModelDownloader(HttpClient? httpClient = null)
{
    // Long timeout on purpose: the first /api/pull response waits for the registry, and /api/show can be slow while
    // the server loads a big model. The pull body itself is read with ResponseHeadersRead, which HttpClient.Timeout
    // does not cover; PullIdleTimeout guards that instead. No resilience handler: retrying a GB pull is not wanted.
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromMinutes(10),
    };

    private readonly HttpClient _http = httpClient ?? SharedClient;

    /// <summary>Longest wait for the next pull line before giving up (hashing a big layer sends nothing for a while).</summary>
    public TimeSpan PullIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>True when <c>GET /api/version</c> answers 2xx within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsServerUpAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(Api(endpoint, "api/version"), cts.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>
    /// True when the server has the model (200 from <c>/api/show</c>), false on 404.
    /// Throws <see cref="HttpRequestException"/> on any other answer, with Ollama's error text as the message.
    /// </summary>
    public async Task<bool> HasModelAsync(Uri endpoint, string model, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(Api(endpoint, "api/show"), Json(new { model }), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false), null, response.StatusCode);
        }

        return true;
    }

    /// <summary>
    /// Shows the model and pulls it when missing. Never throws for Ollama or network failures (they come back as
    /// <see cref="OllamaModelStatus.Error"/>); only cancellation throws. <paramref name="progress"/> is called
    /// synchronously, in order, once per progress line: throttle in the caller.
    /// </summary>
    public async Task<OllamaModelStatus> EnsureModelAsync(Uri endpoint, string model, IProgress<OllamaPullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);

        var pulled = false;
        try
        {
            if (await HasModelAsync(endpoint, model, cancellationToken).ConfigureAwait(false))
            {
                return OllamaModelStatus.Ready(model, pulled: false);
            }

            pulled = true;
            if (await PullAsync(endpoint, model, progress, cancellationToken).ConfigureAwait(false) is { } pullError)
            {
                return OllamaModelStatus.Failed(model, pulled, pullError);
            }

            // Ollama says "success" before some failure modes surface; only /api/show tells us the model is usable.
            return await HasModelAsync(endpoint, model, cancellationToken).ConfigureAwait(false)
                ? OllamaModelStatus.Ready(model, pulled)
                : OllamaModelStatus.Failed(model, pulled, $"Ollama reported a successful pull of {model}, but /api/show does not find it.");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException or TimeoutException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A cancellation we did not ask for is HttpClient's timeout.
            var message = ex is OperationCanceledException ? $"Timed out talking to Ollama at {endpoint}." : ex.Message;
            return OllamaModelStatus.Failed(model, pulled, message);
        }
    }

    /// <summary>Streams <c>/api/pull</c>; returns null on {"status":"success"}, else the error text.</summary>
    private async Task<string?> PullAsync(Uri endpoint, string model, IProgress<OllamaPullProgress>? progress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Api(endpoint, "api/pull"))
        {
            Content = Json(new { model, stream = true }),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var layers = new Dictionary<string, (long Completed, long Total)>(StringComparer.Ordinal);

        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(PullIdleTimeout, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return $"The pull of {model} ended without Ollama reporting success.";
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                // Ollama reports failures as a line {"error": "..."} in an HTTP 200 stream.
                return error.ValueKind == JsonValueKind.String ? error.GetString() ?? "unknown error" : error.GetRawText();
            }

            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
            if (status == "success")
            {
                return null;
            }

            if (root.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && Number(root, "total") is > 0 and var total)
            {
                layers[d.GetString()!] = (Number(root, "completed"), total);
                progress?.Report(new OllamaPullProgress(model, status, layers.Values.Sum(l => l.Completed), layers.Values.Sum(l => l.Total)));
            }
            else
            {
                progress?.Report(new OllamaPullProgress(model, status, 0, 0));
            }
        }
    }

    // Buffered, so the request has a Content-Length instead of chunked encoding (simple proxies and fakes handle it).
    private static StringContent Json<T>(T body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    /// <summary>Ollama's {"error": "..."} text when there is one, else the status code and body.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                return e.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to the raw body
        }

        return $"Ollama answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}".TrimEnd(' ', ':');
    }

    // Resolve against "<base>/" so a base URL with a path (a reverse proxy) keeps it.
    private static Uri Api(Uri endpoint, string path) => new(new Uri(endpoint.ToString().TrimEnd('/') + "/"), path);
}
