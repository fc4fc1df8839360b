using System.Text.RegularExpressions;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// The local classifier's input for one review: the all-MiniLM-L6-v2 sentence embedding (384 numbers, what the text
/// is about and its tone) followed by a few lexicon figures that the embedding blurs (negation, contrast, a star
/// count written in the text). Nothing here depends on a product kind.
/// </summary>
public static partial class SentimentFeatures
{
    public static readonly string[] LexiconFeatureNames =
    [
        "compound", "positive-share", "negative-share", "opinion-word-share",
        "first-sentence-compound", "last-sentence-compound", "has-contrast",
        "mentions-stars", "mentioned-stars",
    ];

    public static int Count(int embeddingDimensions) => embeddingDimensions + LexiconFeatureNames.Length;

    public static float[] Build(ReadOnlySpan<float> embedding, string text, SentimentLexicon lexicon)
    {
        var features = new float[Count(embedding.Length)];
        embedding.CopyTo(features);
        var lexical = features.AsSpan(embedding.Length);

        var whole = lexicon.Score(text);
        var sentences = SentenceBreak().Split(text).Where(s => s.Any(char.IsLetter)).ToArray();
        var first = sentences.Length > 0 ? lexicon.Score(sentences[0]) : default;
        var last = sentences.Length > 0 ? lexicon.Score(sentences[^1]) : default;
        var stars = MentionedStars(text);

        lexical[0] = (float)whole.Compound;
        lexical[1] = (float)whole.Positive;
        lexical[2] = (float)whole.Negative;
        lexical[3] = (float)whole.OpinionWordShare;
        lexical[4] = (float)first.Compound;
        lexical[5] = (float)last.Compound;
        lexical[6] = ContrastWord().IsMatch(text) ? 1 : 0;
        lexical[7] = stars is null ? 0 : 1;
        lexical[8] = stars is { } s ? (float)((s - 3) / 2) : 0; // -1 (one star) .. +1 (five stars)
        return features;
    }

    /// <summary>A rating the writer gives in words, e.g. "3 stars", "three stars", "4/5", "2 out of 5".</summary>
    public static double? MentionedStars(string text)
    {
        var match = StarMention().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var number = match.Groups["n"].Value.ToLowerInvariant() switch
        {
            "one" or "1" => 1.0,
            "two" or "2" => 2.0,
            "three" or "3" => 3.0,
            "four" or "4" => 4.0,
            "five" or "5" => 5.0,
            "zero" or "0" => 1.0,
            _ => 3.0,
        };
        if (match.Groups["half"].Success)
        {
            number += 0.5;
        }

        return Math.Clamp(number, 1, 5);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b(but|however|although|though|except|unfortunately)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ContrastWord();

    [GeneratedRegex(@"\b(?<n>[0-5]|zero|one|two|three|four|five)(?<half>\.5| and a half)?\s*(?:-\s*)?(?:stars?\b|out of (?:5|five)\b|/\s*5\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StarMention();
}
