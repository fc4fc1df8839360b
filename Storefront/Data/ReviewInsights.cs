namespace EcomGo.Storefront.Data;

/// <summary>
/// The Storefront's own copy of the ReviewAnalyzer's verdict on one review, kept from <c>review-analyzed.v1</c> events so
/// a product page renders without calling the ReviewAnalyzer. A review without a row is pending.
/// </summary>
public sealed class ReviewAnalysis
{
    public int ReviewId { get; set; }
    public int ProductId { get; set; }
    /// <summary>positive, neutral or negative.</summary>
    public required string Label { get; set; }
    public double Confidence { get; set; }
    /// <summary>"battery: negative" style aspects.</summary>
    public List<string> Aspects { get; set; } = [];
    public required string Classifier { get; set; }
    public required string Model { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }
}

/// <summary>The Storefront's copy of a product's opinion, kept from <c>product-opinion-updated.v1</c> events.</summary>
public sealed class ProductOpinion
{
    public int ProductId { get; set; }
    public required string Summary { get; set; }
    public int PositiveCount { get; set; }
    public int NeutralCount { get; set; }
    public int NegativeCount { get; set; }
    public List<string> Praised { get; set; } = [];
    public List<string> Criticised { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}
