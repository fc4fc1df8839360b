using Microsoft.Extensions.AI;
using System.Numerics.Tensors;

namespace EcomGo.Recommender.Evaluation;

/// <summary>One L2-normalised vector per item (a zero vector for an item without text), stored contiguously.</summary>
public sealed class ItemEmbeddings(float[] values, int dimensions)
{
    public int Dimensions => dimensions;

    public ReadOnlySpan<float> Vector(int item) => values.AsSpan(item * dimensions, dimensions);

    /// <summary>Embeds every item's text with <paramref name="generator"/> in batches, reporting progress.</summary>
    public static async Task<ItemEmbeddings> CreateAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts,
        Action<string> progress, CancellationToken cancellationToken = default)
    {
        const int batchSize = 64;
        var withText = Enumerable.Range(0, texts.Count).Where(i => !string.IsNullOrWhiteSpace(texts[i])).ToArray();
        float[]? values = null;
        var dimensions = 0;
        var lastReport = DateTime.UtcNow;
        for (var start = 0; start < withText.Length; start += batchSize)
        {
            var batch = withText.AsSpan(start, Math.Min(batchSize, withText.Length - start)).ToArray();
            var embeddings = await generator.GenerateAsync(batch.Select(i => texts[i]), cancellationToken: cancellationToken);
            for (var b = 0; b < batch.Length; b++)
            {
                var vector = embeddings[b].Vector.Span;
                if (values is null)
                {
                    dimensions = vector.Length;
                    values = new float[texts.Count * dimensions];
                }
                var target = values.AsSpan(batch[b] * dimensions, dimensions);
                vector.CopyTo(target);
                var norm = TensorPrimitives.Norm(target);
                if (norm > 0) TensorPrimitives.Divide(target, norm, target);
            }
            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(5))
            {
                progress($"  embedded {start + batch.Length:N0}/{withText.Length:N0} items");
                lastReport = DateTime.UtcNow;
            }
        }
        return new ItemEmbeddings(values ?? new float[texts.Count], Math.Max(dimensions, 1));
    }
}
