using System.Numerics.Tensors;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The no-LLM classifier: nearest centroid over all-MiniLM-L6-v2 sentence embeddings, combined with the star rating.
/// <list type="number">
/// <item>Each label has a centroid: the normalised mean embedding of its <see cref="SentimentPrototypes"/> sentences.</item>
/// <item>The review (title + text) is embedded; its cosine similarity to each centroid goes through a softmax with
/// <see cref="Sharpness"/> to give text probabilities.</item>
/// <item>Those are multiplied by a prior from the stars (1-2 lean negative, 3 neutral, 4-5 positive) and renormalised.
/// The prior is a lean, not a verdict: a text far closer to another centroid (e.g. sarcasm on a 4-star review,
/// or a furious text with 3 stars) still wins. Rating 0 means "unknown" and gives a flat prior.</item>
/// </list>
/// Confidence is the winning label's combined probability. Runs in-process (~5 ms per review on one core).
/// </summary>
public sealed class LocalSentimentClassifier : ISentimentClassifier
{
    public const string Model = "local:minilm-centroid+rating";
    public const string Version = "local-v1";

    /// <summary>Softmax temperature for centroid similarities (centroid similarities differ by ~0.05-0.2).</summary>
    private const float Sharpness = 25f;

    private static readonly SentimentLabel[] s_labels = [SentimentLabel.Positive, SentimentLabel.Neutral, SentimentLabel.Negative];

    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly Lazy<Task<float[][]>> _centroids;

    public LocalSentimentClassifier(MiniLmEmbeddingGenerator embeddings)
    {
        _embeddings = embeddings;
        _centroids = new(ComputeCentroidsAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ModelName => Model;
    public string PromptVersion => Version;

    public async Task<IReadOnlyList<SentimentResult>> ClassifyAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken = default)
    {
        if (reviews.Count == 0)
        {
            return [];
        }

        var centroids = await _centroids.Value.WaitAsync(cancellationToken);
        var vectors = await _embeddings.GenerateAsync(reviews.Select(r => r.FullText), cancellationToken: cancellationToken);
        var results = new SentimentResult[reviews.Count];
        for (var i = 0; i < reviews.Count; i++)
        {
            var probabilities = Combine(TextProbabilities(vectors[i].Vector.Span, centroids), RatingPrior(reviews[i].Rating));
            var best = 0;
            for (var c = 1; c < s_labels.Length; c++)
            {
                if (probabilities[c] > probabilities[best])
                {
                    best = c;
                }
            }

            results[i] = new SentimentResult(s_labels[best], Math.Round(probabilities[best], 3), Model);
        }

        return results;
    }

    private static double[] TextProbabilities(ReadOnlySpan<float> vector, float[][] centroids)
    {
        var logits = new double[centroids.Length];
        for (var c = 0; c < centroids.Length; c++)
        {
            logits[c] = Sharpness * TensorPrimitives.CosineSimilarity(vector, centroids[c]);
        }

        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>Order: positive, neutral, negative.</summary>
    private static double[] RatingPrior(int rating) => rating switch
    {
        1 => [0.08, 0.17, 0.75],
        2 => [0.10, 0.25, 0.65],
        3 => [0.15, 0.70, 0.15],
        4 => [0.65, 0.25, 0.10],
        5 => [0.75, 0.17, 0.08],
        _ => [1 / 3.0, 1 / 3.0, 1 / 3.0],
    };

    private static double[] Combine(double[] text, double[] prior)
    {
        var combined = text.Zip(prior, (t, p) => t * p).ToArray();
        var sum = combined.Sum();
        return combined.Select(v => v / sum).ToArray();
    }

    private async Task<float[][]> ComputeCentroidsAsync()
    {
        var centroids = new float[s_labels.Length][];
        for (var c = 0; c < s_labels.Length; c++)
        {
            var embeddings = await _embeddings.GenerateAsync(SentimentPrototypes.Sentences[s_labels[c]]);
            var sum = new float[embeddings[0].Vector.Length];
            foreach (var e in embeddings)
            {
                TensorPrimitives.Add(sum, e.Vector.Span, sum);
            }

            var norm = TensorPrimitives.Norm(sum);
            TensorPrimitives.Divide(sum, norm, sum);
            centroids[c] = sum;
        }

        return centroids;
    }
}
