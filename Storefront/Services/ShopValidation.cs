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

    /// <summary>
    /// True when <paramref name="value"/> holds a control character other than tab and line breaks. PostgreSQL rejects
    /// U+0000 in text outright (a 500 if it gets that far), and the others have no place in names, addresses or reviews.
    /// </summary>
    public static bool HasControlCharacters(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));
}

/// <summary>Text a shopper typed: no control characters except tab and line breaks (see <see cref="ShopValidation.HasControlCharacters"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlainTextAttribute() : ValidationAttribute("{0} must not contain control characters.")
{
    public override bool IsValid(object? value) => value is not string text || !ShopValidation.HasControlCharacters(text);
}
