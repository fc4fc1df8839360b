using System.Globalization;
using System.Text;

namespace EcomGo.Storefront.Data.Seed.Text;

/// <summary>Small helpers for deterministic random picks and template filling.</summary>
internal static class TextKit
{
    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    /// <summary>Picks two different items (falls back to the same item for one-element lists).</summary>
    public static (T First, T Second) PickTwo<T>(this Random rng, IReadOnlyList<T> items)
    {
        var a = rng.Next(items.Count);
        if (items.Count == 1) return (items[a], items[a]);
        var b = rng.Next(items.Count - 1);
        if (b >= a) b++;
        return (items[a], items[b]);
    }

    /// <summary>Index chosen proportionally to <paramref name="weights"/>.</summary>
    public static int PickWeighted(this Random rng, IReadOnlyList<double> weights)
    {
        var total = 0d;
        foreach (var w in weights) total += w;
        var roll = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Fisher-Yates shuffle into a new list (the input stays untouched).</summary>
    public static List<T> Shuffled<T>(this Random rng, IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    public static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    public static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    /// <summary>"a" or "an" for the following word (good enough for the fixed vocabulary used here).</summary>
    public static string Article(string nextWord)
    {
        if (nextWord.Length == 0) return "a";
        var lower = nextWord.ToLowerInvariant();
        // "hour", "honest" take "an"; "one", "uni-"/"use-" words sound like "y"/"w".
        if (lower.StartsWith("hour", StringComparison.Ordinal) || lower.StartsWith("honest", StringComparison.Ordinal)) return "an";
        if (lower.StartsWith("one", StringComparison.Ordinal) || lower.StartsWith("uni", StringComparison.Ordinal)
            || lower.StartsWith("use", StringComparison.Ordinal) || lower.StartsWith("usb", StringComparison.Ordinal)) return "a";
        return "aeiou".Contains(lower[0]) ? "an" : "a";
    }

    public static string WithArticle(string phrase) => $"{Article(phrase)} {phrase}";

    /// <summary>Possessive form: "Stridewell's", "Thornbury Garden Co.'s".</summary>
    public static string Possessive(string name) => name.EndsWith('s') ? name + "'" : name + "'s";

    /// <summary>Replaces {key} placeholders. Unknown keys are left as-is so mistakes are visible in samples.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> slots)
    {
        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            var close = template.IndexOf('}', open);
            if (close < 0) { sb.Append(template, i, template.Length - i); break; }
            sb.Append(template, i, open - i);
            var key = template.Substring(open + 1, close - open - 1);
            sb.Append(slots.TryGetValue(key, out var value) ? value : template.Substring(open, close - open + 1));
            i = close + 1;
        }
        return sb.ToString();
    }

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Splits prose into sentences on ". ", "! " and "? " (used for uniqueness statistics).</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c is '.' or '!' or '?') && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0) yield return sentence;
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            var tail = text[start..].Trim();
            if (tail.Length > 0) yield return tail;
        }
    }
}

/// <summary>
/// Counts how often each generated sentence has been used so generators can re-roll
/// instead of repeating the same sentence across many products or reviews.
/// </summary>
internal sealed class SentenceLedger(int maxUses)
{
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);

    public int MaxUses { get; } = maxUses;

    public bool CanUse(string sentence) => !_uses.TryGetValue(sentence, out var n) || n < MaxUses;

    public void Use(string sentence) => _uses[sentence] = _uses.TryGetValue(sentence, out var n) ? n + 1 : 1;

    /// <summary>Tries <paramref name="attempts"/> candidates and records the first one still under the cap; null if none.</summary>
    public string? Take(Func<string> candidate, int attempts = 12)
    {
        for (var i = 0; i < attempts; i++)
        {
            var s = candidate();
            if (CanUse(s))
            {
                Use(s);
                return s;
            }
        }
        return null;
    }
}
