using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using System.Globalization;
using EcomGo.ReviewAnalyzer.Data;
using EcomGo.ReviewAnalyzer.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.ReviewAnalyzer.Apis;

/// <summary>Sentiment per review and opinion per product, as the Storefront reads them.</summary>
public static class SentimentsApi
{
    public static IEndpointRouteBuilder MapSentimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Sentiments").RequireServiceAuthorization();

        api.MapGet("/sentiments", GetSentimentsAsync).WithName("GetSentiments")
            .WithSummary("Sentiments of a product's analysed reviews (reviews still pending are absent).");
        api.MapGet("/sentiments/stats", GetStatsAsync).WithName("GetSentimentStats")
            .WithSummary("Counts per label and per model, and the backlog still waiting for analysis.");
        api.MapGet("/opinions/{productId}", GetOpinionAsync).WithName("GetOpinion")
            .WithSummary("Opinion summary, label counts and praised/criticised aspects of one product.");
        api.MapPost("/reanalysis", RequestReanalysisAsync).WithName("RequestReanalysis")
            .WithSummary("Re-queue stored results for analysis: scope 'all', 'outdated' (older model, digest or prompt) or 'fallbacks'.");
        api.MapGet("/reanalysis", (ReanalysisService reanalysis, CancellationToken ct) => reanalysis.GetStatusAsync(ct)).WithName("GetReanalysis")
            .WithSummary("Progress of the last re-analysis request: reviews requested and still waiting.");

        return app;
    }

    public static async Task<Results<Ok<List<SentimentDto>>, ProblemHttpResult>> GetSentimentsAsync(
        string? productId, ReviewsDbContext db, CancellationToken cancellationToken)
    {
        if (!TryParseProductId(productId, out var id, out var problem))
        {
            return problem;
        }

        var rows = await db.Sentiments.AsNoTracking()
            .Where(s => s.ProductId == id)
            .OrderBy(s => s.ReviewId)
            .Select(s => new { s.ReviewId, s.Label, s.Confidence, s.Aspects, s.Classifier, s.Model, s.ModelDigest, s.PromptVersion, s.AnalyzedAt })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new SentimentDto(r.ReviewId, r.Label.ToWire(), r.Confidence,
            StoredAspect.Parse(r.Aspects).Select(a => $"{a.Name}: {a.Sentiment}").ToList(), r.Classifier, r.Model, r.ModelDigest, r.PromptVersion, r.AnalyzedAt)).ToList());
    }

    public static async Task<Results<Ok<OpinionDto>, NotFound, ProblemHttpResult>> GetOpinionAsync(
        string productId, ReviewsDbContext db, CancellationToken cancellationToken)
    {
        if (!TryParseProductId(productId, out var id, out var problem))
        {
            return problem;
        }

        var opinion = await db.ProductOpinions.AsNoTracking().FirstOrDefaultAsync(o => o.ProductId == id, cancellationToken);
        return opinion is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new OpinionDto(opinion.ProductId, opinion.Summary, opinion.PositiveCount, opinion.NeutralCount, opinion.NegativeCount,
                opinion.Praised, opinion.Criticised, opinion.Model, opinion.UpdatedAt));
    }

    public static async Task<Ok<SentimentStatsDto>> GetStatsAsync(
        ReviewsDbContext db, ISentimentClassifier classifier, AnalysisBacklog backlog, CancellationToken cancellationToken)
    {
        var byLabel = await db.Sentiments.GroupBy(s => s.Label).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byModel = await db.Sentiments.GroupBy(s => s.Model).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byClassifier = await db.Sentiments.GroupBy(s => s.Classifier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var opinions = await db.ProductOpinions.CountAsync(cancellationToken);

        var labels = new Dictionary<string, int> { ["positive"] = 0, ["neutral"] = 0, ["negative"] = 0 };
        foreach (var row in byLabel)
        {
            labels[row.Key.ToWire()] = row.Count;
        }

        return TypedResults.Ok(new SentimentStatsDto(
            Analyzed: byLabel.Sum(r => r.Count),
            Pending: backlog.Pending,
            ByLabel: labels,
            ByModel: byModel.OrderByDescending(r => r.Count).ToDictionary(r => r.Key, r => r.Count),
            ByClassifier: byClassifier.OrderByDescending(r => r.Count).ToDictionary(r => r.Key, r => r.Count),
            Opinions: opinions,
            Classifier: classifier.ModelName,
            PromptVersion: classifier.PromptVersion,
            HighestSeenReviewId: backlog.HighestSeenReviewId,
            LastSweepCompletedAt: backlog.LastSweepCompletedAt,
            LastSweepError: backlog.LastSweepError));
    }

    public static async Task<Results<Accepted<ReanalysisStatus>, ProblemHttpResult>> RequestReanalysisAsync(
        ReanalysisRequest? request, ReanalysisService reanalysis, CancellationToken cancellationToken)
    {
        var scopeText = request?.Scope ?? "outdated";
        if (!Enum.TryParse<ReanalysisScope>(scopeText, ignoreCase: true, out var scope) || !Enum.IsDefined(scope) || int.TryParse(scopeText, out _))
        {
            return TypedResults.Problem(
                title: "Invalid re-analysis scope",
                detail: $"scope must be 'all', 'outdated' or 'fallbacks' (got '{scopeText}').",
                statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Accepted("/api/reanalysis", await reanalysis.RequestAsync(scope, cancellationToken));
    }

    private static bool TryParseProductId(string? value, out int productId, out ProblemHttpResult problem)
    {
        problem = null!;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out productId) && productId > 0)
        {
            return true;
        }

        problem = TypedResults.Problem(
            title: "Invalid product id",
            detail: $"productId must be a positive integer (got '{value ?? "nothing"}').",
            statusCode: StatusCodes.Status400BadRequest);
        return false;
    }
}
