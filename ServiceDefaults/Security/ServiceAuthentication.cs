using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EcomGo.ServiceDefaults.Security;

/// <summary>
/// Service-to-service authentication: the AppHost generates one secret key per run and hands it to every service
/// (configuration <c>ServiceAuth:Key</c>). Service-only APIs require it as a bearer token; shoppers never have it.
/// A shopper's identity reaches another service only inside such a call, in <see cref="ShopperKeyHeader"/>.
/// </summary>
public static class ServiceAuthentication
{
    public const string SchemeName = "EcomGoService";
    public const string PolicyName = "EcomGoService";
    public const string ConfigurationKey = "ServiceAuth:Key";
    /// <summary>"user:{id}" or "session:{digest}", set by the Storefront from the signed-in user or the session.</summary>
    public const string ShopperKeyHeader = "X-Shopper-Key";
    public const string ShopperKeyClaim = "ecomgo:shopper";
    private const int MaxShopperKeyLength = 128;

    /// <summary>Registers the service-key scheme and policy. Called by AddServiceDefaults; harmless where unused.</summary>
    public static TBuilder AddServiceAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ServiceKeyOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Key = configuration[ConfigurationKey]);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ServiceKeyAuthenticationHandler>(SchemeName, displayName: null, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(SchemeName)
                .RequireAuthenticatedUser());
        builder.Services.AddTransient<ServiceKeyHandler>();
        return builder;
    }

    /// <summary>Only callers holding the service key get in (401 otherwise); hidden from the OpenAPI document.</summary>
    public static TBuilder RequireServiceAuthorization<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(PolicyName).ExcludeFromDescription();

    /// <summary>Sends the service key with every request of this client.</summary>
    public static IHttpClientBuilder AddServiceAuthentication(this IHttpClientBuilder http) =>
        http.AddHttpMessageHandler<ServiceKeyHandler>();

    /// <summary>The shopper an authenticated service call acts for, or null (anonymous callers never have one).</summary>
    public static string? GetShopperKey(this HttpContext context) =>
        context.User.FindFirst(ShopperKeyClaim)?.Value;

    /// <summary>Sets the shopper a service call acts for; only meaningful on a client with <see cref="AddServiceAuthentication"/>.</summary>
    public static void SetShopperKey(this HttpRequestMessage request, string shopperKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopperKey);
        request.Headers.Remove(ShopperKeyHeader);
        request.Headers.Add(ShopperKeyHeader, shopperKey);
    }

    internal static bool IsValidShopperKey(string key) =>
        key.Length <= MaxShopperKeyLength
        && (key.StartsWith("user:", StringComparison.Ordinal) || key.StartsWith("session:", StringComparison.Ordinal))
        && key.All(c => c is > ' ' and < (char)127);
}

public sealed class ServiceKeyOptions
{
    public string? Key { get; set; }
}

/// <summary>Accepts <c>Authorization: Bearer {service key}</c>; without a configured key nobody is a service (fail closed).</summary>
internal sealed class ServiceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<ServiceKeyOptions> serviceKey)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = serviceKey.Value.Key;
        if (string.IsNullOrEmpty(expected)
            || !AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header.Parameter), Encoding.UTF8.GetBytes(expected)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid service key."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, "service") };
        if (Request.Headers.TryGetValue(ServiceAuthentication.ShopperKeyHeader, out var shopper)
            && shopper.Count == 1 && shopper[0] is { } key && ServiceAuthentication.IsValidShopperKey(key))
        {
            claims.Add(new Claim(ServiceAuthentication.ShopperKeyClaim, key));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ServiceAuthentication.SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ServiceAuthentication.SchemeName)));
    }
}

/// <summary>Adds the service key to outgoing calls (the key comes from configuration, never from a request).</summary>
internal sealed class ServiceKeyHandler(IOptions<ServiceKeyOptions> serviceKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (serviceKey.Value.Key is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
