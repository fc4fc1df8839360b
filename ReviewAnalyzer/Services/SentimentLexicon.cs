using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>What the lexicon makes of one passage.</summary>
/// <param name="Compound">VADER's normalised sum of valences, -1 (very negative) to +1 (very positive).</param>
/// <param name="Positive">Share of the absolute valence that is positive (0..1); <paramref name="Negative"/> likewise.</param>
/// <param name="OpinionWordShare">Opinion words per token (0..1): low for factual or lukewarm text.</param>
public readonly record struct LexiconScore(double Compound, double Positive, double Negative, double OpinionWordShare);

/// <summary>
/// Rule-based sentiment scoring with the published VADER lexicon (Hutto &amp; Gilbert, ICWSM 2014: ~7,500 words,
/// emoticons and slang rated -4..+4 by ten people each; taken from the npm package vader-sentiment 1.1.3,
/// Apache-2.0, see Resources/VADER-NOTICE.txt). The rules follow VADER's: a negation in the three words before an
/// opinion word flips and weakens it ("not bad" is mildly positive), boosters and dampeners ("very", "slightly")
/// scale it, a word in capitals is emphasised, and after a contrast word ("but", "however") the text counts 1.5
/// times and before it half ("love the colour but it fell apart" is negative).
/// Immutable after construction and thread-safe.
/// </summary>
public sealed partial class SentimentLexicon
{
    private const double BoosterIncrement = 0.293;
    private const double NegationScalar = -0.74;
    private const double CapsIncrement = 0.733;
    private const double NormalisationAlpha = 15;

    private static readonly FrozenSet<string> s_negations = FrozenSet.Create(StringComparer.Ordinal,
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt",
        "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope", "nor", "not", "nothing", "nowhere", "oughtnt",
        "shant", "shouldnt", "wasnt", "werent", "without", "wont", "wouldnt", "rarely", "seldom", "despite", "no");

    private static readonly FrozenDictionary<string, double> s_boosters = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["absolutely"] = 1, ["amazingly"] = 1, ["awfully"] = 1, ["completely"] = 1, ["considerably"] = 1, ["decidedly"] = 1,
        ["deeply"] = 1, ["enormously"] = 1, ["entirely"] = 1, ["especially"] = 1, ["exceptionally"] = 1, ["extremely"] = 1,
        ["fully"] = 1, ["greatly"] = 1, ["highly"] = 1, ["hugely"] = 1, ["incredibly"] = 1, ["intensely"] = 1, ["more"] = 1,
        ["most"] = 1, ["particularly"] = 1, ["purely"] = 1, ["quite"] = 1, ["really"] = 1, ["remarkably"] = 1, ["so"] = 1,
        ["substantially"] = 1, ["thoroughly"] = 1, ["totally"] = 1, ["tremendously"] = 1, ["unbelievably"] = 1,
        ["unusually"] = 1, ["utterly"] = 1, ["very"] = 1, ["super"] = 1,
        ["almost"] = -1, ["barely"] = -1, ["hardly"] = -1, ["kinda"] = -1, ["less"] = -1, ["little"] = -1,
        ["marginally"] = -1, ["occasionally"] = -1, ["partly"] = -1, ["scarcely"] = -1, ["slightly"] = -1,
        ["somewhat"] = -1, ["sorta"] = -1, ["fairly"] = -1, ["pretty"] = -1, ["bit"] = -1,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words after which the writer's real verdict follows.</summary>
    private static readonly FrozenSet<string> s_contrasts = FrozenSet.Create(StringComparer.Ordinal, "but", "however", "unfortunately", "although", "though", "except");

    private readonly FrozenDictionary<string, double> _valences;

    public SentimentLexicon(FrozenDictionary<string, double> valences) => _valences = valences;

    /// <summary>The VADER lexicon shipped inside this assembly.</summary>
    public static SentimentLexicon LoadVader()
    {
        using var stream = typeof(SentimentLexicon).Assembly.GetManifestResourceStream("EcomGo.ReviewAnalyzer.Resources.vader_lexicon.txt")
            ?? throw new InvalidOperationException("The embedded VADER lexicon is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var valences = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            if (tab > 0 && double.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
            {
                valences[line[..tab]] = valence;
            }
        }

        return new SentimentLexicon(valences.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public int Count => _valences.Count;

    public LexiconScore Score(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            return default;
        }

        var textIsShouting = tokens.All(t => t.IsCaps || !t.HasLetters);
        var sentiments = new double[tokens.Count];
        var opinionWords = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Lower;
            if (s_boosters.ContainsKey(word) || !_valences.TryGetValue(word, out var valence))
            {
                continue;
            }

            // "kind of" is a dampener, not kindness; "like" is mostly a preposition in reviews.
            if ((word == "kind" && i + 1 < tokens.Count && tokens[i + 1].Lower == "of") || word == "like")
            {
                continue;
            }

            opinionWords++;
            if (tokens[i].IsCaps && !textIsShouting)
            {
                valence += Math.Sign(valence) * CapsIncrement;
            }

            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var previous = tokens[i - back].Lower;
                if (s_boosters.TryGetValue(previous, out var direction))
                {
                    var scalar = direction * BoosterIncrement * Math.Sign(valence) * (back switch { 1 => 1.0, 2 => 0.95, _ => 0.9 });
                    valence += scalar;
                }

                if (s_negations.Contains(previous) || previous.EndsWith("n't", StringComparison.Ordinal))
                {
                    valence *= NegationScalar;
                    break; // one negation per word: "not never" is rare and VADER's double flips mislead
                }
            }

            sentiments[i] = valence;
        }

        // The last contrast word decides: what precedes it is discounted, what follows is emphasised.
        var contrast = -1;
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            if (s_contrasts.Contains(tokens[i].Lower))
            {
                contrast = i;
                break;
            }
        }

        if (contrast >= 0)
        {
            for (var i = 0; i < sentiments.Length; i++)
            {
                sentiments[i] *= i < contrast ? 0.5 : 1.5;
            }
        }

        var sum = sentiments.Sum();
        var exclamations = Math.Min(4, text.Count(c => c == '!'));
        sum += Math.Sign(sum) * exclamations * 0.292;
        var compound = sum / Math.Sqrt(sum * sum + NormalisationAlpha);

        double positive = 0, negative = 0;
        foreach (var s in sentiments)
        {
            if (s > 0)
            {
                positive += s + 1; // VADER counts the word itself as well as its strength
            }
            else if (s < 0)
            {
                negative += -s + 1;
            }
        }

        var neutralTokens = tokens.Count - opinionWords;
        var total = positive + negative + neutralTokens;
        return new LexiconScore(
            Math.Clamp(compound, -1, 1),
            total == 0 ? 0 : positive / total,
            total == 0 ? 0 : negative / total,
            (double)opinionWords / tokens.Count);
    }

    private readonly record struct Token(string Lower, bool IsCaps, bool HasLetters);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        foreach (Match match in WordPattern().Matches(text))
        {
            var raw = match.Value;
            var hasLetters = raw.Any(char.IsLetter);
            var isCaps = hasLetters && raw.Length > 1 && raw.Where(char.IsLetter).All(char.IsUpper);
            // Apostrophes: "don't" -> "dont" (the lexicon's negation list), but "n't" endings stay recognisable.
            var lower = raw.ToLowerInvariant().Replace('’', '\'');
            if (lower.EndsWith("n't", StringComparison.Ordinal))
            {
                lower = lower.Replace("'", "", StringComparison.Ordinal);
            }

            tokens.Add(new Token(lower, isCaps, hasLetters));
        }

        return tokens;
    }

    // Words (with inner apostrophes or hyphens) and the common ASCII emoticons the lexicon rates.
    [GeneratedRegex(@"[:;=][-']?[()DPp/\\|]|<3|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WordPattern();
}
