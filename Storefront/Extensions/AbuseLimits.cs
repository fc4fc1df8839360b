using System.Globalization;
using System.Threading.RateLimiting;
using EcomGo.ServiceDefaults.Http;
using EcomGo.Storefront.Services;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Extensions;

/// <summary>
/// Abuse limits with ASP.NET Core's rate limiter: sign-in attempts, review posting, add-to-cart and checkout, each
/// limited per shopper (signed-in user, else anonymous session) and, chained, per client IP. The same limits cover the
/// JSON APIs (marked with <see cref="WithAbuseLimit{TBuilder}"/>) and the pages' form posts (recognised by form name).
/// Over the limit: 429 with Retry-After, as ProblemDetails for APIs and as the shop's "slow down" page for forms.
/// </summary>
public static class AbuseLimits
{
    /// <summary>The Blazor forms (their <c>FormName</c>, posted as <c>_handler</c>) that perform a limited action.</summary>
    private static readonly Dictionary<string, AbuseAction> s_formActions = new(StringComparer.Ordinal)
    {
        ["login"] = AbuseAction.SignIn,
        ["review"] = AbuseAction.Review,
        ["add-to-cart"] = AbuseAction.AddToCart,
        ["checkout"] = AbuseAction.Checkout,
    };

    public static void AddAbuseLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<AbuseLimitOptions>(builder.Configuration.GetSection(AbuseLimitOptions.SectionName));

        services.AddOptions<IdentityOptions>().Configure<IOptions<AbuseLimitOptions>>((identity, limits) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = limits.Value.Lockout.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = limits.Value.Lockout.Duration;
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AbuseLimitOptions>>((limiter, limits) =>
        {
            var options = limits.Value;
            // Chained: a request needs a permit from its shopper's bucket and from its address's bucket.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, options, perIp: false)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, options, perIp: true)));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => RejectAsync(context, options);
        });
    }

    /// <summary>After authentication, the shopper session and antiforgery (which reads page forms): who and what are known here.</summary>
    public static void UseAbuseLimits(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            // Always set: a status page re-executed for a rejection runs this again and must not inherit the action.
            http.Features.Set(await ClassifyAsync(http) is { } action ? new AbuseLimitedAction(action) : null);

            await next(http);
        });
        app.UseRateLimiter();
    }

    /// <summary>Limits this API endpoint (or group) as <paramref name="action"/>.</summary>
    public static TBuilder WithAbuseLimit<TBuilder>(this TBuilder builder, AbuseAction action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AbuseLimitMetadata(action));

    private static async Task<AbuseAction?> ClassifyAsync(HttpContext http)
    {
        // The status page shown for a rejection is the same request run again: it must not count twice.
        if (http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return null;
        }

        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AbuseLimitMetadata>() is { } api)
        {
            return api.Action;
        }

        if (!HttpMethods.IsPost(http.Request.Method) || endpoint?.Metadata.GetMetadata<ComponentTypeMetadata>() is null
            || !http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted); // already buffered by the antiforgery check
            return form["_handler"] is [{ } handler] && s_formActions.TryGetValue(handler, out var action) ? action : null;
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null; // a malformed form is the page's to refuse (400), not ours
        }
    }

    private static RateLimitPartition<string> Partition(HttpContext http, AbuseLimitOptions options, bool perIp)
    {
        if (http.Features.Get<AbuseLimitedAction>() is not { } limited)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limit = options.For(limited.Action);
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = perIp ? $"{limited.Action}|ip:{ip}" : $"{limited.Action}|{ShopperKey(http) ?? "ip:" + ip}";
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perIp ? limit.PerIp : limit.PerShopper),
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static string? ShopperKey(HttpContext http)
    {
        var shopper = http.RequestServices.GetRequiredService<IShopperContext>().GetShopper(http);
        return shopper.UserId is not null || shopper.SessionId is not null ? shopper.Key : null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, AbuseLimitOptions options)
    {
        var http = context.HttpContext;
        var action = http.Features.Get<AbuseLimitedAction>()?.Action ?? AbuseAction.SignIn;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.For(action).Window;
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
        var rejection = new AbuseLimitRejection(action, seconds, Message(action, seconds));
        http.Features.Set(rejection);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        if (SafeErrors.IsPageRequest(http.Request))
        {
            // A form post: the status-code pages show the "slow down" page for this 429. As a GET, so that page does not
            // try to handle the original form.
            http.Request.Method = HttpMethods.Get;
            return;
        }

        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: rejection.Message)
            .ExecuteAsync(http);
    }

    internal static string Message(AbuseAction action, int seconds)
    {
        var wait = seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";
        return action switch
        {
            AbuseAction.SignIn => $"Too many sign-in attempts. Please wait {wait} and try again.",
            AbuseAction.Review => $"You have posted several reviews in a short time. You can post another in {wait}.",
            AbuseAction.AddToCart => $"You are adding items to your cart faster than we allow. Please try again in {wait}.",
            _ => $"Too many checkout attempts in a short time. Please try again in {wait}.",
        };
    }

    /// <summary>What the sign-in page and API say to a locked-out account (Identity lockout after repeated wrong passwords).</summary>
    public static string LockedOutMessage(DateTimeOffset? lockoutEnd, DateTimeOffset now)
    {
        var minutes = lockoutEnd is { } end ? Math.Max(1, (int)Math.Ceiling((end - now).TotalMinutes)) : 5;
        return $"This account is locked after too many failed sign-in attempts. Please try again in {minutes} {(minutes == 1 ? "minute" : "minutes")}.";
    }

    private sealed record AbuseLimitMetadata(AbuseAction Action);

    private sealed record AbuseLimitedAction(AbuseAction Action);
}

/// <summary>Set on a rejected request, for the page that explains it.</summary>
public sealed record AbuseLimitRejection(AbuseAction Action, int RetryAfterSeconds, string Message);
