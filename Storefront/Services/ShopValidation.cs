using System.ComponentModel.DataAnnotations;

namespace EcomGo.Storefront.Services;

/// <summary>The product a request refers to does not exist (the API answers 404, not 400).</summary>
public sealed class ProductNotFoundException(int productId) : Exception($"Product {productId} does not exist.")
{
    public int ProductId { get; } = productId;
}

public static class ShopValidation
{
    /// <summary>Validates DataAnnotations; field names come back in camelCase, matching the JSON the client sent.</summary>
    public static void Validate(object model)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(model, new ValidationContext(model), results, validateAllProperties: true))
        {
            throw FromResults(results);
        }
    }

    public static ShopValidationException FromResults(IEnumerable<ValidationResult> results) => new(results
        .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: CamelCase(m), r.ErrorMessage ?? "Invalid value.")))
        .GroupBy(e => e.Member)
        .ToDictionary(g => g.Key, g => g.Select(e => e.Item2).ToArray()));

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
