using EcomGo.ReviewAnalyzer.Data;

namespace EcomGo.ReviewAnalyzer.Services;

/// <summary>
/// Hand-written, product-agnostic example sentences per label for the local classifier. Each label's embeddings are
/// averaged into a centroid. Sarcasm ("what a bargain, it broke in a week") is deliberately listed as negative so
/// that praise words wrapped around a failure land near the negative centroid.
/// </summary>
public static class SentimentPrototypes
{
    public static readonly IReadOnlyDictionary<SentimentLabel, string[]> Sentences = new Dictionary<SentimentLabel, string[]>
    {
        [SentimentLabel.Positive] =
        [
            "I love it, it works perfectly.",
            "Excellent quality and great value for money.",
            "Really happy with this purchase, highly recommended.",
            "Exceeded my expectations in every way.",
            "Works exactly as described and feels very well made.",
            "Best purchase I have made in a long time.",
            "Five stars, would definitely buy again.",
            "Fantastic product, my whole family uses it every day.",
            "Great performance and it looks beautiful too.",
            "Arrived quickly and it is even better than the pictures.",
            "Very comfortable and easy to use.",
            "Superb build quality, it feels premium.",
            "I'm delighted with it, worth every penny.",
            "It does the job brilliantly and was easy to set up.",
            "A wonderful gift, they were thrilled with it.",
            "Impressive battery life and fast charging.",
            "Tastes amazing, I have already ordered more.",
            "The book was gripping from the first page to the last.",
            "Solid, reliable and well designed, no complaints.",
            "Totally worth it, I use it all the time.",
            "Brilliant, just brilliant, I can't fault it.",
            "Great product with one tiny gripe, but I'm very pleased overall.",
            "Customer service was helpful and the product is great.",
            "Genuinely impressed, it feels like it should cost twice as much.",
            "My new favourite, thoroughly recommended.",
        ],
        [SentimentLabel.Neutral] =
        [
            "It's okay, nothing special.",
            "Does the job but I'm not blown away.",
            "Average quality for an average price.",
            "Some things are good, some are not.",
            "Decent, although it has a few flaws.",
            "It works, but the build feels a bit cheap.",
            "Not bad, not great.",
            "Fine for occasional use, I suppose.",
            "Good design, but the battery could be better.",
            "Mixed feelings: it looks nice, but it is slow.",
            "Three stars, it is acceptable.",
            "It's fine, just fine.",
            "I expected a little more, but it's usable.",
            "Worth it on sale, not at full price.",
            "Middle of the road, neither great nor terrible.",
            "The sound is decent, though the fit is a little awkward.",
            "Pleasant enough but forgettable.",
            "It's alright for the money, I'm keeping it.",
            "On the plus side it is quiet, but it takes ages to heat up.",
            "Could be better, could be worse.",
            "Hard to get excited about it either way.",
            "Nothing wrong with it exactly, nothing special either.",
        ],
        [SentimentLabel.Negative] =
        [
            "Terrible quality, it broke after two days.",
            "Complete waste of money, do not buy.",
            "Very disappointed, it stopped working within a week.",
            "Poorly made and nothing like the description.",
            "Returning it, it is useless.",
            "The worst purchase I have ever made.",
            "It arrived damaged and customer service never replied.",
            "Cheap plastic that cracked on the first use.",
            "Doesn't work at all, avoid this product.",
            "Really uncomfortable and the seams came apart.",
            "It leaks every time I use it.",
            "Battery dies in an hour, totally unreliable.",
            "I regret buying this, save your money.",
            "Stopped charging after a month and support was useless.",
            "Awful taste, I threw it away.",
            "The book was boring and I gave up halfway.",
            "Oh great, another gadget that broke within a week. Truly revolutionary.",
            "Wow, all that money for something that fell apart. What a bargain.",
            "Love how it died right after the warranty ended. Impeccable timing.",
            "Best paperweight I have ever bought, since it never worked.",
            "Thrilled, obviously. Who doesn't want a kettle that leaks?",
            "Fantastic. Just fantastic. It broke before I finished unpacking it.",
            "Really impressive how quickly this fell apart. A marvel of engineering.",
            "Nothing says quality like a product that fails on its first outing.",
            "Great product? No. The lid stopped closing and it leaks. Returning it.",
        ],
    };
}
