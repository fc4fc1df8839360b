using EcomGo.ServiceDefaults.Contracts;
using EcomGo.ServiceDefaults.Security;
using System.Security.Claims;
using EcomGo.Storefront.Data;
using EcomGo.Storefront.Extensions;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EcomGo.Storefront.Apis;

public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products/{productId:int}/reviews").WithTags("Reviews").WithApiConventions();
        products.MapGet("/", GetProductReviewsAsync).WithName("GetProductReviews")
            .WithSummary("A product's reviews grouped by sentiment (positive, neutral, negative, then pending), with the opinion summary");
        products.MapPost("/", CreateReviewAsync).WithName("CreateReview").RequireAuthorization().WithAbuseLimit(AbuseAction.Review)
            .WithSummary("Write a review (signed in; one per product: a second one is 409)").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        var reviews = app.MapGroup("/api/reviews").WithTags("Reviews").WithApiConventions();
        reviews.MapGet("/mine", (ClaimsPrincipal user, IReviewService service, CancellationToken ct) =>
                service.GetUserReviewsAsync(ApiConventions.UserId(user), ct))
            .WithName("GetMyReviews").RequireAuthorization();
        reviews.MapDelete("/{id:int}", DeleteReviewAsync).WithName("DeleteReview").RequireAuthorization()
            .WithSummary("Delete one of your own reviews (someone else's answers 404)");
        reviews.MapGet("/feed", GetFeedAsync).WithName("GetReviewFeed")
            .WithSummary("Reviews in id order after 'afterId', for the AI services' sync").ProducesValidationProblem()
            .RequireServiceAuthorization(); // every shopper's reviews: services only
        return app;
    }

    private static async Task<Results<Ok<ProductReviews>, ProblemHttpResult>> GetProductReviewsAsync(
        int productId, ClaimsPrincipal user, IReviewService service, StorefrontDbContext db, CancellationToken ct)
    {
        if (!await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return ApiConventions.NotFound($"Product {productId} does not exist.");
        }

        return TypedResults.Ok(await service.GetProductReviewsAsync(productId, user.FindFirstValue(ClaimTypes.NameIdentifier), ct));
    }

    private static async Task<Created<ReviewView>> CreateReviewAsync(int productId, ReviewInput input, HttpContext http,
        IShopperContext shoppers, UserManager<ShopUser> users, IReviewService service, CancellationToken ct)
    {
        var user = await users.GetUserAsync(http.User);
        var review = await service.CreateAsync(shoppers.GetShopper(http), user?.DisplayName ?? "Shopper", productId, input, ct);
        return TypedResults.Created($"/api/products/{productId}/reviews", review);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteReviewAsync(int id, ClaimsPrincipal user, IReviewService service, CancellationToken ct) =>
        await service.DeleteAsync(ApiConventions.UserId(user), id, ct)
            ? TypedResults.NoContent()
            : ApiConventions.NotFound($"You have no review {id}.");

    private static async Task<IResult> GetFeedAsync([FromQuery] string? afterId, [FromQuery] string? take, StorefrontDbContext db, CancellationToken ct)
    {
        var errors = new ApiConventions.QueryErrors();
        var (after, count) = errors.FeedPage(afterId, take);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var items = await db.Reviews.AsNoTracking()
            .Where(r => r.Id > after)
            .OrderBy(r => r.Id)
            .Take(count)
            .Select(r => new ReviewFeedItem(r.Id, r.ProductId, r.UserId, r.Rating, r.Title, r.Text, r.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(items);
    }
}
