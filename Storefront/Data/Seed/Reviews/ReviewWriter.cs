using EcomGo.Storefront.Data.Seed.Catalog;
using EcomGo.Storefront.Data.Seed.Text;
using static EcomGo.Storefront.Data.Seed.Reviews.ReviewVocabulary;

namespace EcomGo.Storefront.Data.Seed.Reviews;

/// <summary>A review before it gets its final id.</summary>
internal sealed record ReviewDraft(int ProductId, int? ShopperId, string AuthorName, int Rating, string Title, string Text,
    ExpectedSentiment Sentiment, int DaysAgo);

/// <summary>
/// Writes reviews by composing an opener, aspect sentences (from the product's category) and a closer.
/// The star rating follows the sentiment; 4-star reviews may carry one small gripe and 2-star reviews one concession,
/// while 3-star reviews are balanced ("good X but bad Y") or lukewarm. A <see cref="SentenceLedger"/> caps how often
/// any sentence is reused and every full text is unique.
/// </summary>
internal sealed class ReviewWriter(Random rng, int maxSentenceUses, int maxTitleUses)
{
    private readonly SentenceLedger _sentences = new(maxSentenceUses);
    private readonly SentenceLedger _titles = new(maxTitleUses);
    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);

    /// <summary>Star rating for a sentiment (Positive 4-5, Neutral 3, Negative 1-2).</summary>
    public int RatingFor(ExpectedSentiment sentiment) => sentiment switch
    {
        ExpectedSentiment.Positive => rng.Chance(0.62) ? 5 : 4,
        ExpectedSentiment.Negative => rng.Chance(0.55) ? 1 : 2,
        _ => 3,
    };

    public static ExpectedSentiment SentimentFor(int rating) =>
        rating >= 4 ? ExpectedSentiment.Positive : rating == 3 ? ExpectedSentiment.Neutral : ExpectedSentiment.Negative;

    /// <summary>Sentiment drawn from the product's hidden quality, so good products collect mostly good reviews.</summary>
    public ExpectedSentiment SentimentFor(ProductQuality quality)
    {
        var roll = rng.NextDouble();
        var (pos, neu) = quality switch
        {
            ProductQuality.Good => (0.70, 0.20),
            ProductQuality.Average => (0.42, 0.33),
            _ => (0.18, 0.30),
        };
        return roll < pos ? ExpectedSentiment.Positive : roll < pos + neu ? ExpectedSentiment.Neutral : ExpectedSentiment.Negative;
    }

    public ReviewDraft Write(CatalogItem item, int rating, int? shopperId, string author, int daysAgo)
    {
        var sentiment = SentimentFor(rating);
        for (var attempt = 0; ; attempt++)
        {
            var (title, text) = Compose(item, sentiment, rating);
            // Full texts must be unique; re-compose on a clash and fail loudly if the vocabulary ever runs dry.
            if (_texts.Add(text)) return new ReviewDraft(item.Id, shopperId, author, rating, title, text, sentiment, daysAgo);
            if (attempt > 40) throw new InvalidOperationException("Review vocabulary exhausted; add more fragments.");
        }
    }

    public string AnonymousName() =>
        rng.Chance(0.12) ? rng.Pick(FirstNames) : $"{rng.Pick(FirstNames)} {rng.Pick(LastInitials)}";

    // ---- composition ------------------------------------------------------------------------------------

    private sealed class Context(CatalogItem item, Random rng)
    {
        public CatalogItem Item { get; } = item;
        public bool IsBook { get; } = item.Category.Id == CategoryProfiles.Books;
        public List<ReviewAspect> Aspects { get; } = [.. item.Category.AspectsFor(item.Kind)];
        public HashSet<string> UsedAspects { get; } = new(StringComparer.Ordinal);

        /// <summary>Aspects drawn for the sentence being tried; committed only if the sentence is accepted.</summary>
        public List<string> Pending { get; } = [];
        public string? TitleAspect { get; set; }

        /// <summary>Frames already used in this review, so "Worse still," doesn't appear twice.</summary>
        public HashSet<string> UsedFrames { get; } = new(StringComparer.Ordinal);

        public string PickFrame(IReadOnlyList<string> frames)
        {
            for (var i = 0; i < 8; i++)
            {
                var f = rng.Pick(frames);
                if (UsedFrames.Add(f)) return f;
            }
            return rng.Pick(frames);
        }

        public Dictionary<string, string> Slots()
        {
            var time = rng.Pick(TimePhrases);
            var fail = rng.Pick(Item.Category.Failures);
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["short"] = Item.Kind.Short,
                ["a_short"] = TextKit.WithArticle(Item.Kind.Short),
                ["Model"] = Item.Model,
                ["Brand"] = Item.Maker.Brand,
                ["time"] = time,
                ["Time"] = TextKit.Cap(time),
                ["recipient"] = rng.Pick(Item.Category.Recipients),
                ["fail"] = fail,
            };
        }

        /// <summary>Picks an aspect not used yet in this review; category aspects are favoured over delivery/packaging.</summary>
        public ReviewAspect NextAspect()
        {
            for (var i = 0; i < 10; i++)
            {
                var a = Aspects.Count > 0 && rng.Chance(0.85) ? rng.Pick(Aspects) : rng.Pick(GenericAspects);
                if (IsFree(a)) return Reserve(a);
            }
            // Everything drawn was taken: fall back to the first free aspect in a fixed order.
            var free = Aspects.Concat(GenericAspects).FirstOrDefault(IsFree);
            return Reserve(free ?? rng.Pick(GenericAspects));
        }

        private bool IsFree(ReviewAspect a) => !UsedAspects.Contains(a.Name) && !Pending.Contains(a.Name);

        private ReviewAspect Reserve(ReviewAspect a)
        {
            Pending.Add(a.Name);
            return a;
        }

        public void Commit()
        {
            if (TitleAspect is null && Pending.Count > 0) TitleAspect = Pending[0];
            UsedAspects.UnionWith(Pending);
            Pending.Clear();
        }
    }

    private (string Title, string Text) Compose(CatalogItem item, ExpectedSentiment sentiment, int rating)
    {
        var ctx = new Context(item, rng);
        var parts = new List<string>(6);
        var lengthRoll = rng.NextDouble();
        // ~20% one-liners, ~45% two or three sentences, ~35% four or five.
        var aspectCount = lengthRoll < 0.2 ? 0 : lengthRoll < 0.65 ? rng.Next(1, 3) : rng.Next(2, 4);
        var sarcastic = false;

        if (aspectCount == 0)
        {
            // One-liners.
            Add(parts, ctx, () => OneLiner(ctx, sentiment));
        }
        else if (sentiment == ExpectedSentiment.Positive)
        {
            if (rng.Chance(0.85)) Add(parts, ctx, () => Opener(ctx, sentiment));
            for (var i = 0; i < aspectCount && Room(parts, 1); i++) Add(parts, ctx, () => Framed(ctx, Lead(PositiveFrames, parts), ctx.NextAspect(), good: true));
            if (rating == 4 && rng.Chance(0.4) && Room(parts, 1)) Add(parts, ctx, () => Pair(ctx, PositiveNitpicks));
            if (rng.Chance(0.45) && Room(parts, 1)) Add(parts, ctx, () => Closer(ctx, PositiveClosers));
        }
        else if (sentiment == ExpectedSentiment.Negative)
        {
            sarcastic = rng.Chance(rating == 1 ? 0.3 : 0.12);
            if (sarcastic) Add(parts, ctx, () => Sarcasm(ctx));
            else if (rng.Chance(0.85)) Add(parts, ctx, () => Opener(ctx, sentiment));
            var count = sarcastic ? Math.Min(aspectCount, 2) : aspectCount;
            for (var i = 0; i < count && Room(parts, 1); i++) Add(parts, ctx, () => Framed(ctx, Lead(NegativeFrames, parts), ctx.NextAspect(), good: false));
            if (rating == 2 && !sarcastic && rng.Chance(0.35) && Room(parts, 1)) Add(parts, ctx, () => Pair(ctx, NegativeConcessions));
            if (rng.Chance(sarcastic ? 0.7 : 0.5) && Room(parts, 1)) Add(parts, ctx, () => Closer(ctx, NegativeClosers));
        }
        else
        {
            if (rng.Chance(0.8)) Add(parts, ctx, () => Opener(ctx, sentiment));
            // At least one balanced sentence so the review reads as genuinely mixed.
            Add(parts, ctx, () => Pair(ctx, MixedFrames));
            for (var i = 1; i < aspectCount && Room(parts, 2); i++)
                Add(parts, ctx, () => rng.Chance(0.5) ? Pair(ctx, MixedFrames) : Meh(ctx));
            if (rng.Chance(0.5) && Room(parts, 1)) Add(parts, ctx, () => Closer(ctx, NeutralClosers));
        }

        if (parts.Count == 0) parts.Add(FallbackLine(ctx, sentiment));
        var title = Title(ctx, sentiment, sarcastic);
        return (title, string.Join(" ", parts));
    }

    private const int MaxSentences = 5;

    /// <summary>Whether <paramref name="needed"/> more sentences still fit under the five-sentence ceiling.</summary>
    private static bool Room(List<string> parts, int needed) =>
        parts.Sum(p => TextKit.Sentences(p).Count()) + needed <= MaxSentences;

    private void Add(List<string> parts, Context ctx, Func<string> make)
    {
        var s = _sentences.Take(() =>
        {
            ctx.Pending.Clear();
            return make();
        }, attempts: 15);
        if (s is null)
        {
            ctx.Pending.Clear();
            return;
        }
        ctx.Commit();
        parts.Add(s);
    }

    private string Opener(Context ctx, ExpectedSentiment sentiment)
    {
        var (general, book) = sentiment switch
        {
            ExpectedSentiment.Positive => (PositiveOpeners, BookPositiveOpeners),
            ExpectedSentiment.Negative => (NegativeOpeners, BookNegativeOpeners),
            _ => (NeutralOpeners, BookNeutralOpeners),
        };
        string template;
        if (ctx.IsBook && rng.Chance(0.5)) template = rng.Pick(book);
        else
        {
            do template = rng.Pick(general);
            while (ctx.IsBook && (template.StartsWith('~') || template.Contains("{Model}", StringComparison.Ordinal)));
        }
        return TextKit.Cap(TextKit.Fill(template.TrimStart('~'), ctx.Slots()));
    }

    // Connectives like "Also," or "Worse still," can't open a review.
    private static readonly string[] Connectives = ["Also", "Another", "On top", "Best of all", "Worse still", "To make matters", "On top of everything"];

    private static string[] Lead(string[] frames, List<string> parts) =>
        parts.Count > 0 ? frames : [.. frames.Where(f => !Connectives.Any(c => f.StartsWith(c, StringComparison.Ordinal)))];

    private string Framed(Context ctx, string[] frames, ReviewAspect aspect, bool good)
    {
        var clause = rng.Pick(good ? aspect.Good : aspect.Bad);
        var frame = ctx.PickFrame(frames);
        return Frame(frame, clause, null, null);
    }

    /// <summary>Frames that need one good clause {p} and one bad clause {n}, from different aspects where possible.</summary>
    private string Pair(Context ctx, string[] frames)
    {
        var a = ctx.NextAspect();
        var b = ctx.NextAspect();
        return Frame(ctx.PickFrame(frames), null, rng.Pick(a.Good), rng.Pick(b.Bad));
    }

    private string Meh(Context ctx)
    {
        var aspect = ctx.NextAspect();
        var frame = rng.Pick(MehFrames);
        var display = DisplayName(aspect.Name);
        var clause = rng.Pick(aspect.Meh);
        // Avoid "As for the picture, the picture is fine" when the clause already names the aspect.
        if (frame.Contains("{aspect}", StringComparison.Ordinal)
            && (display is null || clause.Contains(display, StringComparison.OrdinalIgnoreCase) || clause.Contains(aspect.Name, StringComparison.OrdinalIgnoreCase)))
            frame = "{M}.";
        return TextKit.Cap(frame.Replace("{aspect}", display ?? "", StringComparison.Ordinal)
            .Replace("{M}", TextKit.Cap(clause), StringComparison.Ordinal)
            .Replace("{m}", clause, StringComparison.Ordinal));
    }

    private static string Frame(string frame, string? clause, string? good, string? bad)
    {
        var s = frame;
        if (clause is not null) s = s.Replace("{C}", TextKit.Cap(clause), StringComparison.Ordinal).Replace("{c}", clause, StringComparison.Ordinal);
        if (good is not null) s = s.Replace("{P}", TextKit.Cap(good), StringComparison.Ordinal).Replace("{p}", good, StringComparison.Ordinal);
        if (bad is not null) s = s.Replace("{N}", TextKit.Cap(bad), StringComparison.Ordinal).Replace("{n}", bad, StringComparison.Ordinal);
        return TextKit.Cap(s);
    }

    private string Closer(Context ctx, string[] closers) => TextKit.Fill(rng.Pick(closers), ctx.Slots());

    private string Sarcasm(Context ctx) => TextKit.Cap(TextKit.Fill(rng.Pick(SarcasticTemplates), ctx.Slots()));

    private string OneLiner(Context ctx, ExpectedSentiment sentiment)
    {
        var aspect = ctx.NextAspect();
        var slots = ctx.Slots();
        return sentiment switch
        {
            ExpectedSentiment.Positive => rng.Next(4) switch
            {
                0 => $"Great {slots["short"]}: {rng.Pick(aspect.Good)}.",
                1 => $"{TextKit.Cap(rng.Pick(aspect.Good))}, love it!",
                2 => $"{TextKit.Cap(rng.Pick(aspect.Good))} and I'm really pleased with it.",
                _ => Opener(ctx, sentiment),
            },
            ExpectedSentiment.Negative => rng.Next(4) switch
            {
                0 => $"Not happy: {rng.Pick(aspect.Bad)}.",
                1 => $"{TextKit.Cap(rng.Pick(aspect.Bad))}, so it's going back.",
                2 => $"Disappointing {slots["short"]}, because {rng.Pick(aspect.Bad)}.",
                _ => Opener(ctx, sentiment),
            },
            _ => rng.Next(3) switch
            {
                0 => Pair(ctx, MixedFrames),
                1 => $"Okay {slots["short"]}; {rng.Pick(aspect.Meh)}.",
                _ => $"{TextKit.Cap(rng.Pick(aspect.Meh))}, so three stars.",
            },
        };
    }

    private string FallbackLine(Context ctx, ExpectedSentiment sentiment)
    {
        // Only reached if every candidate hit the reuse cap; a framed aspect sentence is always specific enough.
        var aspect = ctx.NextAspect();
        return sentiment switch
        {
            ExpectedSentiment.Positive => $"{TextKit.Cap(rng.Pick(aspect.Good))}, and I'm very happy with the {ctx.Item.Kind.Short}.",
            ExpectedSentiment.Negative => $"{TextKit.Cap(rng.Pick(aspect.Bad))}, and I'm very unhappy with the {ctx.Item.Kind.Short}.",
            _ => $"{TextKit.Cap(rng.Pick(aspect.Good))}, but {rng.Pick(aspect.Bad)}.",
        };
    }

    private string Title(Context ctx, ExpectedSentiment sentiment, bool sarcastic)
    {
        var pool = sarcastic ? SarcasticTitles : sentiment switch
        {
            ExpectedSentiment.Positive => PositiveTitles,
            ExpectedSentiment.Negative => NegativeTitles,
            _ => NeutralTitles,
        };
        var aspect = ctx.TitleAspect is null ? null : DisplayName(ctx.TitleAspect);
        var slots = ctx.Slots();
        var title = _titles.Take(() =>
        {
            var t = rng.Pick(pool);
            if (t.Contains("{aspect}", StringComparison.Ordinal) && aspect is null) t = pool[0];
            return TextKit.Cap(TextKit.Fill(t, slots).Replace("{aspect}", aspect ?? "", StringComparison.Ordinal));
        }, attempts: 20);
        return title ?? TextKit.Cap(TextKit.Fill(rng.Pick(pool), slots).Replace("{aspect}", "quality", StringComparison.Ordinal));
    }

    /// <summary>Readable aspect names for titles and "As for the ..." frames; null when the aspect has no natural noun.</summary>
    private static string? DisplayName(string aspect) => aspect switch
    {
        "anc" => "noise cancelling",
        "mic" => "microphone",
        "build" => "build quality",
        "pet" or "dog" or "cat" or "trim" or "clean" or "hair" => null,
        "boil" => "boil time",
        "carry" => "carry comfort",
        "replay" => "replay value",
        "results" => null,
        "skin" => null,
        "performance" => "performance",
        _ => aspect,
    };
}
