using EcomGo.Storefront.Extensions;
using EcomGo.Storefront.Services;

namespace EcomGo.Storefront.Apis;

/// <summary>The current shopper's cart: the signed-in user's, else the anonymous session's.</summary>
public static class CartApi
{
    public sealed record AddCartItemRequest(int ProductId, int Quantity = 1);

    public sealed record SetQuantityRequest(int Quantity);

    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cart").WithTags("Cart").WithApiConventions();
        api.MapGet("/", (HttpContext http, IShopperContext shoppers, ICartService cart, CancellationToken ct) =>
            cart.GetCartAsync(shoppers.GetShopper(http), ct)).WithName("GetCart");
        api.MapPost("/items", (AddCartItemRequest request, HttpContext http, IShopperContext shoppers, ICartService cart, CancellationToken ct) =>
                cart.AddAsync(shoppers.GetShopper(http), request.ProductId, request.Quantity, ct))
            .WithName("AddCartItem").WithAbuseLimit(AbuseAction.AddToCart).WithSummary("Add a product (quantity 1-99, at most the stock)").ProducesValidationProblem();
        api.MapPut("/items/{productId:int}", (int productId, SetQuantityRequest request, HttpContext http, IShopperContext shoppers, ICartService cart, CancellationToken ct) =>
                cart.SetQuantityAsync(shoppers.GetShopper(http), productId, request.Quantity, ct))
            .WithName("SetCartItemQuantity").ProducesValidationProblem();
        api.MapDelete("/items/{productId:int}", (int productId, HttpContext http, IShopperContext shoppers, ICartService cart, CancellationToken ct) =>
                cart.RemoveAsync(shoppers.GetShopper(http), productId, ct))
            .WithName("RemoveCartItem");
        return app;
    }
}
