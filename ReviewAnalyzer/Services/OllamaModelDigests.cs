using System.Text.Json.Serialization;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// Ollama's digest of a model (<c>GET /api/tags</c>), stored with every LLM result: the same name can be re-pulled as a
/// different model, and a re-analysis of "results by an older model" must see that. Cached; refreshed at most every
/// <see cref="CacheFor"/> or on demand (a re-analysis request). Unknown (null) when Ollama does not list the model.
/// One instance per service (see <see cref="OllamaModelDigestsExtensions.AddOllamaModelDigests"/>): the re-analysis
/// command's refresh must be what the classifier stamps on the results it redoes.
/// </summary>
public sealed class OllamaModelDigests(IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILogger<OllamaModelDigests> logger)
{
    public const string HttpClientName = "ollama-model-digests";

    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string> _digests = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async Task<string?> GetDigestAsync(string model, bool refresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (refresh || timeProvider.GetUtcNow() - _fetchedAt >= CacheFor)
            {
                try
                {
                    using var http = httpClientFactory.CreateClient(HttpClientName);
                    var tags = await http.GetFromJsonAsync<TagsReply>("/api/tags", cancellationToken);
                    _digests = (tags?.Models ?? [])
                        .Where(m => !string.IsNullOrEmpty(m.Digest))
                        .SelectMany(m => new[] { m.Name, m.Model }.Where(n => !string.IsNullOrEmpty(n)).Select(n => (Name: Canonical(n!), m.Digest)))
                        .GroupBy(m => m.Name)
                        .ToDictionary(g => g.Key, g => Prefixed(g.First().Digest!));
                    _fetchedAt = timeProvider.GetUtcNow();
                }
                catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // The digest is provenance, not a reason to stop classifying: keep the last known one.
                    logger.LogWarning("Could not read model digests from Ollama: {Message}", e.Message);
                }
            }

            return _digests.GetValueOrDefault(Canonical(model));
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Canonical(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";

    private static string Prefixed(string digest) => digest.Contains(':', StringComparison.Ordinal) ? digest : "sha256:" + digest;

    private sealed record TagsReply([property: JsonPropertyName("models")] List<TagModel>? Models);

    private sealed record TagModel(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("model")] string? Model,
        [property: JsonPropertyName("digest")] string? Digest);
}

public static class OllamaModelDigestsExtensions
{
    /// <summary>
    /// A singleton, not a typed HttpClient (those are transient): with one cache per consumer the classifier kept
    /// stamping the old digest for a minute after a re-analysis had refreshed its own copy.
    /// </summary>
    public static IServiceCollection AddOllamaModelDigests(this IServiceCollection services, Uri ollamaEndpoint)
    {
        services.AddHttpClient(OllamaModelDigests.HttpClientName, http => http.BaseAddress = ollamaEndpoint);
        services.AddSingleton<OllamaModelDigests>();
        return services;
    }
}
