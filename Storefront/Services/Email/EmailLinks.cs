using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace EcomGo.Storefront.Services.Email;

/// <summary>A followed product link: which email, for which shopper, to which product.</summary>
public sealed record EmailClickToken(Guid EmailId, string UserId, int ProductId);

/// <summary>
/// The signed, time-limited tokens in emails (ASP.NET Core Data Protection, keys kept in the Storefront's database so
/// links survive restarts and work on every replica). A tampered, foreign or expired token reads as null: callers answer
/// with the not-found page and never say why.
/// </summary>
public sealed class EmailLinks(IDataProtectionProvider dataProtection, IOptions<EmailOptions> options, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector _clicks = dataProtection.CreateProtector("EcomGo.Storefront.Email.Click.v1").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _unsubscribe = dataProtection.CreateProtector("EcomGo.Storefront.Email.Unsubscribe.v1").ToTimeLimitedDataProtector();

    public const string ClickPath = "/email/click/";
    public const string UnsubscribePath = "/email/unsubscribe/";
    public const string OneClickUnsubscribePath = "/email/one-click-unsubscribe/";

    /// <summary>The RFC 8058 one-click address (List-Unsubscribe header) for an unsubscribe page address.</summary>
    public static string OneClickUrl(string unsubscribeUrl) => unsubscribeUrl.Replace(UnsubscribePath, OneClickUnsubscribePath, StringComparison.Ordinal);

    /// <summary>Absolute URL of the tracking route for one product in one email.</summary>
    public string ClickUrl(Guid emailId, string userId, int productId) =>
        Absolute(ClickPath + _clicks.Protect(string.Create(CultureInfo.InvariantCulture, $"{emailId:N}|{productId}|{userId}"), Expiry(options.Value.LinkLifetime)));

    /// <summary>Absolute URL of the unsubscribe page (GET shows a button) and of its one-click POST (RFC 8058).</summary>
    public string UnsubscribeUrl(string userId) =>
        Absolute(UnsubscribePath + _unsubscribe.Protect(userId, Expiry(options.Value.UnsubscribeLinkLifetime)));

    public EmailClickToken? ReadClick(string? token)
    {
        var payload = Unprotect(_clicks, token);
        var parts = payload?.Split('|', 3);
        return parts is { Length: 3 }
               && Guid.TryParseExact(parts[0], "N", out var emailId)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var productId)
               && parts[2].Length > 0
            ? new EmailClickToken(emailId, parts[2], productId)
            : null;
    }

    /// <summary>The user id an unsubscribe token was made for, or null.</summary>
    public string? ReadUnsubscribe(string? token) => Unprotect(_unsubscribe, token) is { Length: > 0 } userId ? userId : null;

    private DateTimeOffset Expiry(TimeSpan lifetime) => time.GetUtcNow() + lifetime;

    private string Absolute(string path) => new Uri(options.Value.ShopBaseUrl, path).ToString();

    private static string? Unprotect(ITimeLimitedDataProtector protector, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null; // tampered, expired, or made with a key this shop does not have
        }
        catch (FormatException)
        {
            return null; // not base64url at all
        }
    }
}
