using EcomGo.Storefront.Services;

namespace EcomGo.Storefront.Components.Shared;

public static class SentimentStyle
{
    /// <summary>Display order of the review groups on a product page.</summary>
    public static readonly ReviewSentiment[] Order = [ReviewSentiment.Positive, ReviewSentiment.Neutral, ReviewSentiment.Negative, ReviewSentiment.Pending];

    public static string Key(ReviewSentiment sentiment) => sentiment switch
    {
        ReviewSentiment.Positive => "positive",
        ReviewSentiment.Neutral => "neutral",
        ReviewSentiment.Negative => "negative",
        _ => "pending",
    };

    public static string Label(ReviewSentiment sentiment) => sentiment switch
    {
        ReviewSentiment.Positive => "Positive",
        ReviewSentiment.Neutral => "Neutral",
        ReviewSentiment.Negative => "Negative",
        _ => "Pending analysis",
    };
}
