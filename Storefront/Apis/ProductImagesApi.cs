using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EcomGo.Storefront.Services;
using Microsoft.Net.Http.Headers;

namespace EcomGo.Storefront.Apis;

/// <summary>Generated product pictures: one SVG per product, a pictogram and colours per category, name and maker.</summary>
public static class ProductImagesApi
{
    private const string Version = "v1";

    public static IEndpointRouteBuilder MapProductImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/products/{id:int}.svg", async (int id, HttpContext http, ICatalogService catalog, CancellationToken cancellationToken) =>
            {
                var product = await catalog.GetProductAsync(id, cancellationToken);
                if (product is null)
                {
                    return Results.NotFound();
                }

                var summary = product.Summary;
                var svg = ProductImage.Render(summary.Id, summary.Name, summary.ManufacturerName, summary.CategoryId, summary.CategoryName);
                var etag = new EntityTagHeaderValue($"\"{Version}-{Hash(svg)}\"");

                http.Response.Headers.CacheControl = "public, max-age=86400";
                http.Response.Headers.ETag = etag.ToString();
                if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Contains(etag.Tag.ToString(), StringComparison.Ordinal)))
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                return Results.Text(svg, "image/svg+xml", Encoding.UTF8);
            })
            .WithName("ProductImage")
            .ExcludeFromDescription();

        return app;
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}

/// <summary>Builds the SVG; all text is XML-escaped.</summary>
public static class ProductImage
{
    private sealed record Theme(string Background, string Accent, string Ink, string Pictogram);

    // Simple 100x100 pictograms drawn in the accent colour (stroke-based so they stay crisp at any size).
    private static readonly Dictionary<int, Theme> Themes = new()
    {
        [1] = new("#fff1e6", "#f97316", "#7c2d12", "<path d='M20 70 Q40 70 50 55 L62 35 Q66 28 74 32 L82 40' /><circle cx='78' cy='22' r='7' /><path d='M15 82 H85' />"), // running
        [2] = new("#ecfccb", "#4d7c0f", "#1a2e05", "<path d='M10 82 L50 20 L90 82 Z' /><path d='M50 20 L50 82 M38 82 L50 58 L62 82' />"), // outdoor
        [3] = new("#e0f2fe", "#0284c7", "#0c4a6e", "<circle cx='26' cy='64' r='16' /><circle cx='74' cy='64' r='16' /><path d='M26 64 L42 38 L62 38 L74 64 M42 38 L50 64 L62 38 M38 30 H48 M58 28 H68' />"), // cycling
        [4] = new("#fef3c7", "#d97706", "#78350f", "<path d='M18 45 H72 V70 Q72 80 62 80 H28 Q18 80 18 70 Z' /><path d='M72 52 H88 M10 45 H18 M35 30 Q40 22 35 15 M50 30 Q55 22 50 15' />"), // kitchen
        [5] = new("#f5ebe0", "#92400e", "#451a03", "<path d='M22 40 H68 V64 Q68 80 52 80 H38 Q22 80 22 64 Z' /><path d='M68 46 Q84 46 84 56 Q84 66 68 64 M36 30 Q40 22 36 14 M52 30 Q56 22 52 14' />"), // coffee
        [6] = new("#ede9fe", "#7c3aed", "#2e1065", "<rect x='28' y='14' width='44' height='72' rx='6' /><circle cx='50' cy='60' r='14' /><circle cx='50' cy='30' r='6' />"), // audio
        [7] = new("#fce7f3", "#db2777", "#500724", "<path d='M20 62 V50 Q20 18 50 18 Q80 18 80 50 V62' /><rect x='14' y='56' width='14' height='24' rx='4' /><rect x='72' y='56' width='14' height='24' rx='4' />"), // headphones
        [8] = new("#e2e8f0", "#334155", "#0f172a", "<rect x='20' y='22' width='60' height='40' rx='4' /><path d='M10 72 H90 L84 80 H16 Z' />"), // laptops
        [9] = new("#dcfce7", "#16a34a", "#052e16", "<path d='M22 38 H78 Q90 38 90 56 Q90 76 78 76 Q70 76 64 66 H36 Q30 76 22 76 Q10 76 10 56 Q10 38 22 38 Z' /><path d='M30 50 V62 M24 56 H36' /><circle cx='66' cy='52' r='3' /><circle cx='74' cy='60' r='3' />"), // gaming
        [10] = new("#cffafe", "#0891b2", "#164e63", "<path d='M14 50 L50 20 L86 50 M24 42 V82 H76 V42' /><path d='M40 62 Q50 52 60 62 M34 56 Q50 40 66 56' /><circle cx='50' cy='70' r='3' />"), // smart home
        [11] = new("#fef9c3", "#a16207", "#422006", "<path d='M50 26 Q34 16 14 20 V78 Q34 74 50 84 Q66 74 86 78 V20 Q66 16 50 26 Z M50 26 V84' />"), // books
        [12] = new("#ffe4e6", "#e11d48", "#4c0519", "<rect x='16' y='46' width='30' height='30' rx='3' /><rect x='54' y='46' width='30' height='30' rx='3' /><rect x='35' y='14' width='30' height='30' rx='3' /><circle cx='31' cy='61' r='3' /><circle cx='69' cy='61' r='3' /><circle cx='50' cy='29' r='3' />"), // toys
        [13] = new("#dcfce7", "#15803d", "#052e16", "<path d='M50 84 V44 M50 56 Q30 56 24 34 Q44 32 50 50 M50 48 Q56 26 78 24 Q76 48 50 52' /><path d='M30 84 H70' />"), // garden
        [14] = new("#fae8ff", "#a21caf", "#4a044e", "<ellipse cx='50' cy='64' rx='18' ry='15' /><circle cx='26' cy='42' r='7' /><circle cx='40' cy='26' r='7' /><circle cx='60' cy='26' r='7' /><circle cx='74' cy='42' r='7' />"), // pets
        [15] = new("#fdf2f8", "#be185d", "#500724", "<rect x='38' y='40' width='24' height='44' rx='4' /><path d='M42 40 V26 H58 V40 M46 26 V16 H54 V26' /><path d='M30 60 Q22 50 28 40 M70 60 Q78 50 72 40' />"), // beauty
    };

    private static readonly Theme Fallback = new("#f1f5f9", "#2563eb", "#0f172a", "<rect x='18' y='30' width='64' height='50' rx='4' /><path d='M18 44 H82 M50 30 V80 M34 30 L42 16 H58 L66 30' />");

    public static string Render(int id, string name, string manufacturer, int categoryId, string categoryName)
    {
        var theme = Themes.GetValueOrDefault(categoryId, Fallback);
        var sb = new StringBuilder(2048);
        sb.Append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 300' width='400' height='300' role='img'>");
        sb.Append("<title>").Append(Escape(name)).Append(" by ").Append(Escape(manufacturer)).Append("</title>");
        sb.Append("<defs><linearGradient id='g' x1='0' y1='0' x2='1' y2='1'>")
          .Append("<stop offset='0' stop-color='").Append(theme.Background).Append("'/>")
          .Append("<stop offset='1' stop-color='#ffffff'/></linearGradient></defs>");
        sb.Append("<rect width='400' height='300' fill='url(#g)'/>");
        // A soft disc behind the pictogram, nudged per product so neighbours on a grid differ a little.
        var offset = (id * 37) % 60 - 30;
        sb.Append(CultureInfo.InvariantCulture, $"<circle cx='{300 + offset / 2}' cy='{90 + offset / 3}' r='78' fill='{theme.Accent}' fill-opacity='0.12'/>");
        sb.Append(CultureInfo.InvariantCulture, $"<g transform='translate({240 + offset / 2} {30 + offset / 3}) scale(1.2)' fill='none' stroke='{theme.Accent}' stroke-width='5' stroke-linecap='round' stroke-linejoin='round'>");
        sb.Append(theme.Pictogram).Append("</g>");
        sb.Append("<text x='24' y='40' font-family='system-ui, sans-serif' font-size='14' font-weight='600' letter-spacing='1.5' fill='")
          .Append(theme.Accent).Append("'>").Append(Escape(categoryName.ToUpperInvariant())).Append("</text>");

        var lines = Wrap(name, 22, 3);
        var y = 300 - 48 - (lines.Count - 1) * 28;
        foreach (var line in lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x='24' y='{y}' font-family='system-ui, sans-serif' font-size='24' font-weight='700' fill='{theme.Ink}'>")
              .Append(Escape(line)).Append("</text>");
            y += 28;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text x='24' y='{y}' font-family='system-ui, sans-serif' font-size='15' fill='{theme.Ink}' fill-opacity='0.75'>")
          .Append(Escape(manufacturer)).Append("</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Greedy word wrap; the last line gets an ellipsis if the text does not fit.</summary>
    public static List<string> Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i].Length > width ? words[i][..(width - 1)] + "…" : words[i];
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                lines.Add(current.ToString());
                current.Clear();
                if (lines.Count == maxLines)
                {
                    var last = lines[^1];
                    lines[^1] = (last.Length >= width ? last[..(width - 1)] : last) + "…";
                    return lines;
                }
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(word);
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    /// <summary>XML-escapes text for element content or a quoted attribute, dropping control characters (most are not allowed in XML at all).</summary>
    public static string Escape(string text) =>
        System.Security.SecurityElement.Escape(text.Any(char.IsControl) ? new string([.. text.Where(c => !char.IsControl(c))]) : text) ?? "";
}
