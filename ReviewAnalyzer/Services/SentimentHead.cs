using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// A multinomial logistic regression over <see cref="SentimentFeatures"/>: standardise each feature with the
/// training mean and scale, then softmax(W·x + b) over the labels positive, neutral, negative (in that order).
/// Trained by <c>dotnet run --project ReviewAnalyzer -- train-sentiment-head</c> (see
/// <c>Evaluation/SentimentHeadTrainer.cs</c>); the shipped weights are <c>Resources/sentiment-head.json</c>.
/// </summary>
public sealed class SentimentHead
{
    public const string ResourceName = "EcomGo.ReviewAnalyzer.Resources.sentiment-head.json";

    /// <summary>Where the weights came from (data, split, regularisation), for the record.</summary>
    public required string Description { get; init; }
    public required string[] Labels { get; init; }
    public required float[] FeatureMean { get; init; }
    public required float[] FeatureScale { get; init; }
    /// <summary>One row per label, one column per feature.</summary>
    public required float[][] Weights { get; init; }
    public required float[] Bias { get; init; }

    /// <summary>
    /// Logits are divided by this before the softmax (temperature scaling, fitted on out-of-fold predictions so the
    /// probabilities are calibrated rather than over-confident). It never changes the text-only winner; it decides
    /// how much weight the text has against the star prior.
    /// </summary>
    public float Temperature { get; init; } = 1;

    [JsonIgnore]
    public int FeatureCount => FeatureMean.Length;

    /// <summary>Label probabilities in <see cref="Labels"/> order.</summary>
    public double[] Probabilities(ReadOnlySpan<float> features)
    {
        var logits = Logits(features);
        for (var c = 0; c < logits.Length; c++)
        {
            logits[c] /= Temperature;
        }

        return Softmax(logits);
    }

    /// <summary>Raw scores W·x + b in <see cref="Labels"/> order (before temperature and softmax).</summary>
    public double[] Logits(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        var logits = new double[Labels.Length];
        for (var c = 0; c < logits.Length; c++)
        {
            double z = Bias[c];
            var w = Weights[c];
            for (var j = 0; j < features.Length; j++)
            {
                z += w[j] * ((features[j] - FeatureMean[j]) / FeatureScale[j]);
            }

            logits[c] = z;
        }

        return logits;
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static SentimentHead LoadEmbedded()
    {
        using var stream = typeof(SentimentHead).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded sentiment head '{ResourceName}' is missing from the assembly.");
        return Validate(JsonSerializer.Deserialize<SentimentHead>(stream, JsonOptions));
    }

    public static SentimentHead Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Validate(JsonSerializer.Deserialize<SentimentHead>(stream, JsonOptions));
    }

    private static SentimentHead Validate(SentimentHead? head)
    {
        if (head is null || head.Labels.Length != 3 || head.Weights.Length != 3 || head.Bias.Length != 3
            || head.FeatureScale.Length != head.FeatureMean.Length || head.Weights.Any(w => w.Length != head.FeatureMean.Length)
            || head.FeatureScale.Any(s => !(s > 0)) || !(head.Temperature > 0))
        {
            throw new InvalidOperationException("The sentiment head file is not a valid 3-label model.");
        }

        return head;
    }
}
