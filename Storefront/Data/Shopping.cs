namespace EcomGo.Storefront.Data;

/// <summary>A line in a cart. Signed-in shoppers' carts are keyed "user:{id}", anonymous ones "session:{id}".</summary>
public sealed class CartItem
{
    public int Id { get; set; }
    public required string ShopperKey { get; set; }
    public int ProductId { get; set; }
    public Product? Product { get; set; }
    public int Quantity { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

public enum OrderStatus { Placed, Shipped, Delivered, Cancelled }

public sealed class Order
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public OrderStatus Status { get; set; }
    public decimal Total { get; set; }
    public required string ShippingName { get; set; }
    public required string ShippingAddress { get; set; }
    public List<OrderLine> Lines { get; } = [];
}

public sealed class OrderLine
{
    public int Id { get; set; }
    public int OrderId { get; set; }
    public int ProductId { get; set; }
    public required string ProductName { get; set; }
    public decimal UnitPrice { get; set; }
    public int Quantity { get; set; }
}
