using System.Security.Claims;
using EcomGo.Storefront.Extensions;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EcomGo.Storefront.Apis;

/// <summary>Checkout and order history; signed-in shoppers only, and only their own orders.</summary>
public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders").WithApiConventions().RequireAuthorization();
        api.MapPost("/", async (CheckoutInput input, ClaimsPrincipal user, IOrderService orders, CancellationToken ct) =>
            {
                var order = await orders.CheckoutAsync(ApiConventions.UserId(user), input, ct);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .WithName("Checkout").WithAbuseLimit(AbuseAction.Checkout).WithSummary("Place an order from the cart at current prices").ProducesValidationProblem();
        api.MapGet("/", (ClaimsPrincipal user, IOrderService orders, CancellationToken ct) => orders.GetOrdersAsync(ApiConventions.UserId(user), ct))
            .WithName("GetOrders");
        api.MapGet("/{id:int}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (int id, ClaimsPrincipal user, IOrderService orders, CancellationToken ct) =>
                await orders.GetOrderAsync(ApiConventions.UserId(user), id, ct) is { } order
                    ? TypedResults.Ok(order)
                    : ApiConventions.NotFound($"You have no order {id}."))
            .WithName("GetOrder");
        return app;
    }
}
