using System.Text.RegularExpressions;
using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// Aspects without an LLM: the review is cut into clauses (sentences, and at "but", "however", "although"), each clause is
/// searched for the words of a shop-wide aspect list (battery, delivery, fit, sound, ...) and gets the polarity of the
/// opinion words in it, with negation ("not great", "never charged") flipping the next few words. Some aspect words carry
/// their own opinion ("flimsy", "broke", "slow"). A clause with no opinion word is neutral about its aspect.
/// Deliberately simple and predictable: it runs on every review in the no-LLM mode and whenever the LLM gave no aspects.
/// </summary>
public static partial class LocalAspectExtractor
{
    private sealed record AspectWord(string Aspect, int Polarity);

    // Aspect -> words that name it; a (word, polarity) pair is a word that also says how the buyer feels.
    private static readonly Dictionary<string, AspectWord> s_words = Build(new (string Aspect, string[] Words)[]
    {
        ("battery", ["battery", "batteries", "charge", "charging", "charger", "recharge"]),
        ("delivery", ["delivery", "delivered", "shipping", "shipped", "arrived", "arrival", "courier", "dispatch", "dispatched", "postage"]),
        ("packaging", ["packaging", "package", "packed", "box"]),
        ("price", ["price", "value", "money", "cost", "priced", "expensive:-1", "overpriced:-1", "bargain:+1", "affordable:+1"]),
        ("build quality", ["quality", "build", "built", "materials", "material", "construction", "stitching", "sturdy:+1", "solid:+1", "flimsy:-1", "cheaply:-1", "plasticky:-1"]),
        ("durability", ["durability", "durable:+1", "lasted", "lasts", "broke:-1", "broken:-1", "cracked:-1", "snapped:-1", "leaks:-1", "leaked:-1", "stopped:-1", "fell:-1"]),
        ("fit", ["fit", "fits", "fitting", "size", "sizing", "tight:-1", "loose:-1", "narrow", "roomy"]),
        ("comfort", ["comfort", "comfortable:+1", "comfy:+1", "uncomfortable:-1", "cushioning", "cushioned"]),
        ("sound", ["sound", "audio", "bass", "treble", "volume", "speaker", "speakers", "microphone", "mic"]),
        ("noise", ["noise", "noisy:-1", "loud", "quiet:+1", "silent:+1", "rattles:-1", "rattle:-1"]),
        ("screen", ["screen", "display", "brightness", "resolution"]),
        ("performance", ["performance", "speed", "sluggish:-1", "lag:-1", "laggy:-1", "powerful:+1"]),
        ("setup", ["setup", "install", "installation", "instructions", "assembly", "assemble", "manual", "app", "pairing", "paired"]),
        ("customer service", ["support", "service", "refund", "warranty", "seller", "replacement"]),
        ("design", ["design", "looks", "look", "colour", "color", "style", "finish", "stylish:+1", "ugly:-1"]),
        ("taste", ["taste", "tastes", "flavour", "flavor", "delicious:+1", "bitter:-1", "bland:-1"]),
        ("smell", ["smell", "smells", "scent", "fragrance", "odour", "odor"]),
        ("ease of use", ["easy:+1", "intuitive:+1", "fiddly:-1", "complicated:-1", "confusing:-1", "difficult:-1"]),
        ("weight", ["weight", "heavy:-1", "light", "lightweight:+1"]),
        ("size", ["compact:+1", "bulky:-1", "huge", "tiny"]),
    });

    private static readonly HashSet<string> s_positive = new(StringComparer.Ordinal)
    {
        "good", "great", "excellent", "amazing", "awesome", "love", "loved", "loves", "lovely", "perfect", "perfectly", "fantastic", "superb",
        "brilliant", "nice", "happy", "pleased", "impressed", "impressive", "best", "fine", "solid", "reliable", "well", "works", "worked",
        "recommend", "decent", "beautiful", "beautifully", "wonderful", "outstanding", "quick", "fast", "crisp", "clear", "rich", "smooth",
        "sturdy", "comfortable", "strong", "gorgeous", "helpful", "friendly", "generous", "accurate", "worth", "exceeded", "praise", "favourite",
        "favorite", "enjoy", "enjoyed", "glad", "satisfied", "incredible", "responsive", "bright", "quickly",
    };

    private static readonly HashSet<string> s_negative = new(StringComparer.Ordinal)
    {
        "bad", "poor", "poorly", "terrible", "awful", "horrible", "worst", "hate", "hated", "disappointed", "disappointing", "disappointment",
        "broke", "broken", "cheap", "flimsy", "useless", "waste", "faulty", "defective", "late", "slow", "damaged", "dented", "missing",
        "wrong", "weak", "short", "died", "dies", "dead", "stopped", "fails", "failed", "failure", "problem", "problems", "issue", "issues",
        "annoying", "uncomfortable", "noisy", "tinny", "muffled", "dim", "blurry", "unhelpful", "rude", "refused", "never", "leaks", "leaked",
        "cracked", "returned", "return", "returning", "avoid", "mediocre", "overpriced", "expensive", "drains", "drained", "lost", "delayed",
        "crap", "rubbish", "junk", "frustrating", "painful", "hurts", "itchy", "scratchy", "smelly", "stale", "lukewarm", "meh",
    };

    private static readonly HashSet<string> s_negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "hardly", "barely", "isn't", "wasn't", "aren't", "weren't", "doesn't", "didn't", "don't", "can't", "cannot",
        "won't", "couldn't", "wouldn't", "isnt", "wasnt", "doesnt", "didnt", "dont", "cant", "wont", "without",
    };

    private const int NegationWindow = 3;

    /// <summary>Up to <paramref name="max"/> aspects, in order of first mention.</summary>
    public static IReadOnlyList<ReviewAspect> Extract(string text, int max = 6)
    {
        var scores = new Dictionary<string, (int Order, int Score)>(StringComparer.Ordinal);
        foreach (var clause in ClauseSplitter().Split(text.ToLowerInvariant()))
        {
            var tokens = Word().Matches(clause).Select(m => m.Value).ToArray();
            if (tokens.Length == 0)
            {
                continue;
            }

            var aspectsHere = new List<string>();
            var clauseScore = 0;
            var lastNegator = -100;
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (s_negators.Contains(token))
                {
                    lastNegator = i;
                    if (token != "never")
                    {
                        continue;
                    }
                }

                var sign = i - lastNegator <= NegationWindow && i != lastNegator ? -1 : 1;
                var polarity = s_positive.Contains(token) ? 1 : s_negative.Contains(token) ? -1 : 0;
                if (s_words.TryGetValue(token, out var word))
                {
                    if (!aspectsHere.Contains(word.Aspect))
                    {
                        aspectsHere.Add(word.Aspect);
                    }

                    // The aspect word's own opinion counts unless a general opinion word already says the same.
                    polarity = word.Polarity != 0 ? word.Polarity : polarity;
                }

                clauseScore += sign * polarity;
            }

            foreach (var aspect in aspectsHere)
            {
                var (order, score) = scores.TryGetValue(aspect, out var existing) ? existing : (scores.Count, 0);
                scores[aspect] = (order, score + clauseScore);
            }
        }

        return scores
            .OrderBy(s => s.Value.Order)
            .Take(max)
            .Select(s => new ReviewAspect(s.Key, s.Value.Score > 0 ? SentimentLabel.Positive : s.Value.Score < 0 ? SentimentLabel.Negative : SentimentLabel.Neutral))
            .ToList();
    }

    private static Dictionary<string, AspectWord> Build(IEnumerable<(string Aspect, string[] Words)> lists)
    {
        var map = new Dictionary<string, AspectWord>(StringComparer.Ordinal);
        foreach (var (aspect, words) in lists)
        {
            foreach (var entry in words)
            {
                var parts = entry.Split(':');
                map.TryAdd(parts[0], new AspectWord(aspect, parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0));
            }
        }

        return map;
    }

    [GeneratedRegex(@"[.!?;\n]+|,?\s+\b(?:but|however|although|though|yet|except|whereas)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseSplitter();

    [GeneratedRegex(@"[a-z]+(?:'[a-z]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
