using System.Security.Claims;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EcomGo.Storefront.Apis;

/// <summary>What every Storefront JSON API group shares: error mapping and the CSRF header rule.</summary>
public static class ApiConventions
{
    /// <summary>
    /// Browsers send the auth and session cookies with any cross-site form POST, so state-changing calls must prove
    /// they come from script on our own origin: a custom header cannot be set by a plain form and, cross-origin,
    /// needs a CORS preflight we never grant. GETs stay open for the AI services and links.
    /// </summary>
    public const string CsrfHeaderName = "X-Requested-With";
    public const string CsrfHeaderValue = "ecomgo";

    public static RouteGroupBuilder WithApiConventions(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            // API errors are JSON problems: keep the UI's status-code pages from re-rendering them as HTML.
            if (http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                && !string.Equals(http.Request.Headers[CsrfHeaderName], CsrfHeaderValue, StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Missing anti-forgery header",
                    detail: $"State-changing API calls must send the header '{CsrfHeaderName}: {CsrfHeaderValue}'.");
            }

            try
            {
                return await next(context);
            }
            catch (ShopValidationException e)
            {
                return TypedResults.ValidationProblem(e.Errors);
            }
            catch (ProductNotFoundException e)
            {
                return NotFound(e.Message);
            }
            catch (ShopConflictException e)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
            }
        });
        return group;
    }

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>The signed-in user's id, for endpoints that require authorization.</summary>
    internal static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Authorized endpoint without a user id.");

    /// <summary>Collects query-string errors so one 400 can name every bad parameter.</summary>
    internal sealed class QueryErrors
    {
        private readonly Dictionary<string, string[]> _errors = [];

        public bool Any => _errors.Count > 0;

        public void Add(string field, string message) =>
            _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        /// <summary>Free text: trimmed, null when blank; too long or holding control characters (NUL breaks PostgreSQL) is an error.</summary>
        public string? Text(string field, string? raw, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }

            if (raw.Length > maxLength)
            {
                Add(field, $"{field} can be at most {maxLength} characters.");
                return null;
            }

            if (ShopValidation.HasControlCharacters(raw))
            {
                Add(field, $"{field} must not contain control characters.");
                return null;
            }

            return raw.Trim();
        }

        public int? Int(string field, string? raw, int min, int max, int? fallback = null)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return fallback;
            }

            if (!int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value < min || value > max)
            {
                Add(field, $"'{Shorten(raw)}' is not valid for {field}: use a whole number from {min} to {max}.");
                return fallback;
            }

            return value;
        }

        /// <summary>The paging of the feeds the AI services read: rows after <c>afterId</c>, at most <c>take</c> (default 500, max 1000).</summary>
        public (long AfterId, int Take) FeedPage(string? afterId, string? take) =>
            (Long("afterId", afterId, 0, 0)!.Value, Int("take", take, 1, MaxFeedTake, 500)!.Value);

        public const int MaxFeedTake = 1000;

        public long? Long(string field, string? raw, long min, long fallback)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return fallback;
            }

            if (!long.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min)
            {
                Add(field, $"'{Shorten(raw)}' is not valid for {field}: use a whole number of at least {min}.");
                return fallback;
            }

            return value;
        }

        public decimal? Decimal(string field, string? raw, decimal min, decimal max)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }

            if (!decimal.TryParse(raw, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value < min || value > max)
            {
                Add(field, $"'{Shorten(raw)}' is not valid for {field}: use a number from {min} to {max}, such as 49.99.");
                return null;
            }

            return value;
        }

        public bool Bool(string field, string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return false;
            }

            switch (raw.Trim().ToLowerInvariant())
            {
                case "true" or "1" or "yes":
                    return true;
                case "false" or "0" or "no":
                    return false;
                default:
                    Add(field, $"'{Shorten(raw)}' is not valid for {field}: use true or false.");
                    return false;
            }
        }

        public IResult Problem() => TypedResults.ValidationProblem(_errors);

        private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";
    }
}
