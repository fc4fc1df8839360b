using EcomGo.ReviewAnalyzer.Services;
using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EcomGo.ReviewAnalyzer.Evaluation;

/// <summary>
/// The classifier under evaluation, built as the service builds it but without the AppHost, database or Redis:
/// <c>local</c> is the in-process classifier; <c>llm</c> is the service's <see cref="LlmSentimentClassifier"/> over the
/// 'fast' Ollama model from <c>--ollama</c>/<c>--model</c> or the <c>ConnectionStrings:fast</c> configuration.
/// </summary>
public sealed class EvaluationClassifier : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly MiniLmEmbeddingGenerator? _embeddings;

    private EvaluationClassifier(ISentimentClassifier? classifier, string? problem, IHost? host, MiniLmEmbeddingGenerator? embeddings)
    {
        Classifier = classifier;
        Problem = problem;
        _host = host;
        _embeddings = embeddings;
    }

    public ISentimentClassifier? Classifier { get; }

    /// <summary>True when a second pass over the same texts reuses their embeddings (its speed is then not a throughput figure).</summary>
    public bool ReusesEmbeddings { get; private init; }

    /// <summary>Why the classifier could not be built (e.g. no Ollama endpoint for 'llm').</summary>
    public string? Problem { get; }

    public static async Task<EvaluationClassifier> CreateAsync(string name, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken)
    {
        if (name == "local")
        {
            // Embeddings are remembered, so the with-stars pass does not embed every text a second time.
            var embeddings = new MiniLmEmbeddingGenerator();
            var remembered = new EmbeddingGeneratorBuilder<string, Embedding<float>>(embeddings)
                .UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())))
                .Build();
            return new EvaluationClassifier(new LocalSentimentClassifier(remembered, head: null), null, null, embeddings) { ReusesEmbeddings = true };
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.TryGetValue("ollama", out var endpoint) || options.ContainsKey("model"))
        {
            var model = options.GetValueOrDefault("model", "llama3.2:1b");
            builder.Configuration["ConnectionStrings:fast"] = $"Endpoint={endpoint ?? "http://localhost:11434"};Model={model}";
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("fast")))
        {
            return new EvaluationClassifier(null, "--classifier llm needs --ollama http://host:11434 and --model NAME (or ConnectionStrings__fast=\"Endpoint=...;Model=...\").", null, null);
        }

        OllamaConnection connection;
        try
        {
            connection = builder.AddOllamaChatClient("fast", asDefault: false);
        }
        catch (InvalidOperationException ex)
        {
            return new EvaluationClassifier(null, ex.Message, null, null);
        }

        if (!connection.IsAvailable)
        {
            return new EvaluationClassifier(null, "The 'fast' connection string has no Endpoint: there is no Ollama to evaluate.", null, null);
        }

        // The same dependencies the service registers for its LLM classifier (Extensions.AddClassifiers).
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOllamaModelDigests(connection.Endpoint);
        builder.Services.AddSingleton<MiniLmEmbeddingGenerator>();
        builder.Services.AddSingleton<LocalSentimentClassifier>();
        builder.Services.AddSingleton<ReviewAnalyzerTelemetry>();
        builder.Services.AddSingleton<LlmSentimentClassifier>();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EvaluationClassifier(host.Services.GetRequiredService<LlmSentimentClassifier>(), null, host, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _embeddings?.Dispose();
    }
}
