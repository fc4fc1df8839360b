using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;
using Pgvector;

namespace EcomGo.Recommender.Services;

/// <summary>
/// The embedding model in use and its name as stored beside every vector. Vectors of another model are never compared
/// with this one's: the index re-embeds them and queries filter on <see cref="Name"/>.
/// </summary>
public sealed class EmbeddingModel(IEmbeddingGenerator<string, Embedding<float>> generator, string name)
{
    public const int Dimensions = Data.RecommenderDbContext.Dimensions;

    public string Name { get; } = name;

    /// <summary>
    /// The generator's own model id (Ollama's model name, or the in-process ONNX model's), else the connection string's:
    /// switching between Ollama's all-minilm and the in-process copy re-embeds, which is safe if not strictly needed.
    /// </summary>
    public static EmbeddingModel Create(IServiceProvider services)
    {
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        var name = metadata?.DefaultModelId ?? services.GetRequiredKeyedService<OllamaConnection>("embedding").Model;
        return new EmbeddingModel(generator, name);
    }

    public async Task<IReadOnlyList<Vector>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding model '{Name}' returned {embeddings.Count} vectors for {texts.Count} texts.");
        }

        return [.. embeddings.Select(e => e.Vector.Length == Dimensions
            ? new Vector(VectorMath.Normalized(e.Vector.Span))
            : throw new InvalidOperationException(
                $"The embedding model '{Name}' returned {e.Vector.Length} dimensions; the index stores {Dimensions} (all-MiniLM-L6-v2).")) ];
    }

    public async Task<Vector> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await EmbedAsync([text], cancellationToken))[0];
}

/// <summary>Small dense-vector helpers (all vectors here are L2-normalised, so a dot product is the cosine).</summary>
public static class VectorMath
{
    public static float[] Normalized(ReadOnlySpan<float> values)
    {
        var result = values.ToArray();
        var norm = Math.Sqrt(result.Sum(v => (double)v * v));
        if (norm > 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (float)(result[i] / norm);
            }
        }

        return result;
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
