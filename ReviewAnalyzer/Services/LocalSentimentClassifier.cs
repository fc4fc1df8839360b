using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ServiceDefaults.Ai;
using Microsoft.Extensions.AI;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The no-LLM classifier: a logistic-regression head over the all-MiniLM-L6-v2 sentence embedding plus VADER lexicon
/// figures (<see cref="SentimentFeatures"/>), optionally combined with the star rating.
/// <list type="number">
/// <item>The review (title + text) is embedded and scored with the lexicon; the trained <see cref="SentimentHead"/>
/// turns those features into text probabilities. The head was trained on real customer reviews (not on this shop's
/// generated seed reviews), with products kept apart for validation; see the ReviewAnalyzer README for its figures.</item>
/// <item>Those are multiplied by a prior from the stars (1-2 lean negative, 3 neutral, 4-5 positive) and renormalised.
/// The prior is a lean, not a verdict: a text far more likely another label (sarcasm on a 4-star review, a furious
/// text with 3 stars) still wins. Rating 0 means "unknown" and gives a flat prior, so the text alone decides.</item>
/// </list>
/// Confidence is the winning label's combined probability. Runs in-process (a few ms per review on one core).
/// </summary>
public sealed class LocalSentimentClassifier : ISentimentClassifier
{
    public const string Model = "local:minilm-vader-logreg+rating";
    public const string Version = "local-v2";

    private const int EmbeddingBatchSize = 8;

    private static readonly SentimentLabel[] s_labels = [SentimentLabel.Positive, SentimentLabel.Neutral, SentimentLabel.Negative];

    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly Lazy<SentimentLexicon> _lexicon = new(SentimentLexicon.LoadVader, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<SentimentHead> _head;

    public LocalSentimentClassifier(MiniLmEmbeddingGenerator embeddings)
        : this(embeddings, null)
    {
    }

    /// <summary>With <paramref name="head"/> null, the weights shipped in the assembly are used.</summary>
    public LocalSentimentClassifier(IEmbeddingGenerator<string, Embedding<float>> embeddings, SentimentHead? head)
    {
        _embeddings = embeddings;
        _head = head is null ? new(SentimentHead.LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication) : new(head);
    }

    public string ModelName => Model;
    public string PromptVersion => Version;

    public async Task<IReadOnlyList<SentimentResult>> ClassifyAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken = default)
    {
        if (reviews.Count == 0)
        {
            return [];
        }

        var head = _head.Value;
        var features = await FeaturesAsync(reviews.Select(r => r.FullText).ToList(), cancellationToken);
        var results = new SentimentResult[reviews.Count];
        for (var i = 0; i < reviews.Count; i++)
        {
            var probabilities = Combine(head.Probabilities(features[i]), RatingPrior(reviews[i].Rating));
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

    /// <summary>The head's input for each text (also what the trainer learns from, so training and use cannot drift apart).</summary>
    public async Task<IReadOnlyList<float[]>> FeaturesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        // Texts of similar length are embedded together: a batch is padded to its longest text, so mixing a
        // 2,000-character review with short ones would cost as much as embedding all of them at full length.
        var lexicon = _lexicon.Value;
        var features = new float[texts.Count][];
        foreach (var batch in Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).Chunk(EmbeddingBatchSize))
        {
            var vectors = await _embeddings.GenerateAsync(batch.Select(i => texts[i]), cancellationToken: cancellationToken);
            for (var j = 0; j < batch.Length; j++)
            {
                features[batch[j]] = SentimentFeatures.Build(vectors[j].Vector.Span, texts[batch[j]], lexicon);
            }
        }

        return features;
    }

    /// <summary>Features from an embedding computed elsewhere (the trainer caches embeddings between runs).</summary>
    public float[] Features(ReadOnlySpan<float> embedding, string text) => SentimentFeatures.Build(embedding, text, _lexicon.Value);

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
}
