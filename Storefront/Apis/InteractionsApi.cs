using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Apis;

public static class InteractionsApi
{
    /// <summary>Kind: view (value 1). Cart adds, purchases and ratings are recorded by the cart, checkout and reviews.</summary>
    public sealed record InteractionRequest(int ProductId, string? Kind, int? Value);

    public static IEndpointRouteBuilder MapInteractionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/interactions").WithTags("Interactions").WithApiConventions();
        api.MapPost("/", RecordAsync).WithName("RecordInteraction")
            .WithSummary("Record that the current shopper viewed a product").ProducesValidationProblem();
        api.MapGet("/feed", GetFeedAsync).WithName("GetInteractionFeed")
            .WithSummary("Interactions in id order after 'afterId', for the Recommender's sync").ProducesValidationProblem()
            .RequireServiceAuthorization(); // every shopper's history: services only
        return app;
    }

    private static async Task<IResult> RecordAsync(InteractionRequest request, HttpContext http, IShopperContext shoppers,
        IInteractionRecorder recorder, CancellationToken ct)
    {
        var kind = (request.Kind ?? "view").Trim().ToLowerInvariant();
        if (kind != "view")
        {
            // Anyone could post "purchase" otherwise and skew recommendations; those come from the real actions.
            throw ShopValidationException.For("kind", kind is "cart" or "purchase" or "rating"
                ? $"'{kind}' interactions are recorded by the cart, checkout and reviews; only 'view' can be posted."
                : $"Unknown kind '{(kind.Length > 20 ? kind[..20] : kind)}': use 'view'.");
        }

        await recorder.RecordAsync(shoppers.GetShopper(http), request.ProductId, InteractionKind.View, request.Value ?? 1, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetFeedAsync([FromQuery] string? afterId, [FromQuery] string? take, StorefrontDbContext db, CancellationToken ct)
    {
        var errors = new ApiConventions.QueryErrors();
        var (after, count) = errors.FeedPage(afterId, take);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var rows = await db.Interactions.AsNoTracking()
            .Where(i => i.Id > after)
            .OrderBy(i => i.Id)
            .Take(count)
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(i => new InteractionFeedItem(
            i.Id, i.UserId, i.UserId is null ? i.SessionId : null, i.ProductId, i.Kind.WireName(), i.Value, i.OccurredAt)).ToList());
    }
}
